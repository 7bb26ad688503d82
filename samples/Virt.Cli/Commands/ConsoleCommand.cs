using System.Text;
using Virt.Cli.Parsing;
using Virt.Cli.Shell;

namespace Virt.Cli.Commands;

/// <summary>
/// <c>console DOMAIN [--devname NAME] [--force] [--safe]</c>: attaches standard input and output to the guest's
/// console, as virsh does (the terminal raw while attached, Ctrl-] or the end of standard input leaves). Unlike virsh,
/// which refuses without a terminal, it also runs over pipes, so scripts and tests can talk to a guest.
/// </summary>
internal static class ConsoleCommand
{
    /// <summary>virsh's escape character, Ctrl-].</summary>
    public const byte Escape = 0x1d;

    public static CommandDef Definition => new("console",
        [
            OptionDef.Domain(),
            new("devname", OptionType.String, "character device name"),
            OptionDef.Flag("force", "force console connection (disconnect already connected sessions)"),
            OptionDef.Flag("safe", "only connect if safe console handling is supported"),
        ],
        "connect to the guest console", "Connect the virtual serial console for the guest", Run);

    private static bool Run(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command);
        string? device = context.GetString(command, "devname");
        var flags = (command.Has("force") ? DomainConsoleFlags.Force : 0) | (command.Has("safe") ? DomainConsoleFlags.Safe : 0);
        if (domain.GetState().State == DomainState.Shutoff)
        {
            context.Error("The domain is not running");
            return false;
        }

        context.PrintExtra($"Connected to domain '{domain.Name}'\n");
        context.PrintExtra("Escape character is ^] (Ctrl + ])\n");
        context.Out.Flush();
        var terminal = context.Terminal;
        using var raw = terminal.IsTerminal ? RawTerminal.Enter() : null;
        using var stream = domain.OpenConsole(device, flags);
        Attach(stream, terminal, context.Out);
        return true;
    }

    /// <summary>Copies the guest's output to standard output and standard input to the guest until either ends or Ctrl-] is typed.</summary>
    private static void Attach(Stream guest, TerminalStreams terminal, TextWriter output)
    {
        using var done = new ManualResetEventSlim();
        var fromGuest = new Thread(() =>
        {
            CopyToOutput(guest, terminal.RawOutput, output);
            done.Set();
        }) { IsBackground = true, Name = "console output" };
        var toGuest = new Thread(() =>
        {
            CopyInput(terminal, guest);
            done.Set();
        }) { IsBackground = true, Name = "console input" };
        fromGuest.Start();
        toGuest.Start();
        done.Wait();
        guest.Dispose();
        fromGuest.Join();
        output.Flush();
    }

    private static void CopyToOutput(Stream guest, Stream? rawOutput, TextWriter output)
    {
        byte[] buffer = new byte[4096];
        char[] chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        var decoder = Encoding.UTF8.GetDecoder();
        try
        {
            int n;
            while ((n = guest.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (rawOutput is not null)
                {
                    rawOutput.Write(buffer, 0, n);
                    rawOutput.Flush();
                }
                else
                {
                    int count = decoder.GetChars(buffer, 0, n, chars, 0);
                    output.Write(chars, 0, count);
                    output.Flush();
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The session ended under the copy.
        }
    }

    private static void CopyInput(TerminalStreams terminal, Stream guest)
    {
        try
        {
            byte[] buffer = new byte[4096];
            char[] chars = new char[1024];
            while (true)
            {
                int n;
                if (terminal.RawInput is { } raw)
                {
                    n = raw.Read(buffer, 0, buffer.Length);
                }
                else
                {
                    int count = terminal.Input.Read(chars, 0, chars.Length);
                    n = Encoding.UTF8.GetBytes(chars, 0, count, buffer, 0);
                }

                if (n == 0)
                {
                    return;
                }

                int escape = Array.IndexOf(buffer, Escape, 0, n);
                guest.Write(buffer, 0, escape < 0 ? n : escape);
                if (escape >= 0)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The guest's side ended.
        }
    }
}
