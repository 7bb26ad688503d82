using System.Reflection;
using Virt.Cli.Commands;
using Virt.Cli.Parsing;

namespace Virt.Cli.Shell;

/// <summary>
/// The <c>virt</c> program without the console: parses the global options, then runs the commands
/// of the argument(s), or reads them from standard input, against one connection, as virsh does.
/// </summary>
internal sealed class VirtShell
{
    /// <summary>The program's name, where virsh prints <c>virsh</c>.</summary>
    public const string ProgramName = "virt";

    private readonly ShellHost _host;
    private readonly CommandTable _table;
    private readonly CommandParser _parser;

    public VirtShell(ShellHost host, CommandTable? table = null)
    {
        _host = host;
        _table = table ?? Commands.AllCommands.Create();
        _parser = new CommandParser(_table);
    }

    /// <summary>The library version <c>virt</c> is built from.</summary>
    public static string LibraryVersion =>
        typeof(IVirtConnection).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(IVirtConnection).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Runs the program.</summary>
    /// <param name="args">The program's arguments.</param>
    /// <returns>
    /// The exit status: 1 when any command failed, in a command string and on standard input alike, else 0.
    /// virsh returns the last command's status (and always 0 on standard input); <c>virt</c> does not, so that a
    /// script cannot hide a failure behind a later command that succeeds.
    /// </returns>
    public int Run(IReadOnlyList<string> args)
    {
        var output = _host.Output;
        if (!GlobalOptions.TryParse(args, out var options, out string? error))
        {
            WriteError(error!);
            return 1;
        }

        if (options.ShowUsage)
        {
            output.Write(Usage);
            return 0;
        }

        if (options.ShowVersion)
        {
            output.Write(LibraryVersion + "\n");
            return 0;
        }

        List<ParsedCommand>? commands = null;
        if (options.Rest is [""])
        {
            // virsh rejects an empty command string without a message.
            return 1;
        }

        if (options.Rest.Count > 0)
        {
            ITokenSource source = options.Rest.Count == 1
                ? new StringTokenSource(options.Rest[0])
                : new ArgvTokenSource(options.Rest);
            if (!_parser.TryParse(source, out commands, out error))
            {
                WriteError(error!);
                return 1;
            }
        }

        string uri = options.Uri
            ?? (_host.GetEnvironmentVariable(VirtConnection.DefaultUriVariable) is { Length: > 0 } fromEnv ? fromEnv : VirtConnection.FallbackUri);
        using var connection = new ShellConnection(uri, _host.OpenConnection, WriteError);

        // As virsh: a URI given with -c must open before anything runs; the default one opens when a
        // command first needs it. Commands that only touch local files never open it.
        bool allOffline = commands is not null && commands.TrueForAll(c => (c.Definition.Flags & CommandFlags.Offline) != 0);
        if (options.Uri is not null && !allOffline && !connection.TryOpen())
        {
            return 1;
        }

        var context = new CommandContext(connection.Get, output, _host.Error, _table, options.Quiet)
        {
            Terminal = new TerminalStreams(_host.Input, _host.InputIsTerminal, _host.RawInput, _host.RawOutput),
        };
        int status = commands is null ? RunInteractive(context) : (RunAll(context, commands) ? 0 : 1);
        output.Flush();
        return status;
    }

    private static string Usage =>
        $"""

                 {ProgramName} [options]... [<command_string>]
                 {ProgramName} [options]... <command> [args...]

          options:
            -c | --connect=URI      hypervisor connection URI
            -h | --help             this help
            -q | --quiet            quiet mode
            -v | --version          program version

          Run '{ProgramName} help' for the list of commands.

        """.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static bool RunAll(CommandContext context, List<ParsedCommand> commands)
    {
        bool ok = true;
        foreach (var command in commands)
        {
            ok &= RunOne(context, command);
            if (context.QuitRequested)
            {
                break;
            }
        }

        return ok;
    }

    private static bool RunOne(CommandContext context, ParsedCommand command)
    {
        bool ok;
        try
        {
            if ((command.Definition.Flags & CommandFlags.NoConnect) == 0)
            {
                _ = context.Connection;
            }

            ok = command.Definition.Handler(context, command);
        }
        catch (CommandFailedException)
        {
            ok = false;
        }
        catch (VirtException e)
        {
            context.Error(e.Message);
            ok = false;
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or UnauthorizedAccessException or FormatException)
        {
            context.Error(e.Message);
            ok = false;
        }

        if (!context.QuitRequested)
        {
            context.PrintExtra("\n");
        }

        return ok;
    }

    private int RunInteractive(CommandContext context)
    {
        var output = _host.Output;
        if (!context.Quiet)
        {
            output.Write(
                $"Welcome to {ProgramName}, the virtualization interactive terminal.\n\n" +
                "Type:  'help' for help with commands\n" +
                "       'quit' to quit\n\n");
        }

        bool ok = true;
        while (!context.QuitRequested)
        {
            output.Write(ProgramName + " # ");
            output.Flush();
            string? line = _host.Input.ReadLine();
            if (line is null)
            {
                break;
            }

            if (!_host.InputIsTerminal)
            {
                output.Write(line + "\n");
            }

            if (!_parser.TryParse(new StringTokenSource(line), out var commands, out string? error))
            {
                context.Error(error!);
                ok = false;
                continue;
            }

            ok &= RunAll(context, commands);
        }

        output.Write("\n");
        return ok ? 0 : 1;
    }

    private void WriteError(string message) => CommandContext.WriteError(_host.Output, _host.Error, message);
}
