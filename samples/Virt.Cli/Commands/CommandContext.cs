using Virt.Cli.Parsing;
using Virt.Cli.Shell;

namespace Virt.Cli.Commands;

/// <summary>What a command handler works with: the connection, the output streams and the shell's state.</summary>
internal sealed class CommandContext
{
    private readonly Func<IVirtConnection> _connection;

    public CommandContext(Func<IVirtConnection> connection, TextWriter output, TextWriter error, CommandTable table, bool quiet)
    {
        _connection = connection;
        Out = output;
        Err = error;
        Table = table;
        Quiet = quiet;
    }

    /// <summary>The open connection.</summary>
    public IVirtConnection Connection => _connection();

    /// <summary>Standard output.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Err { get; }

    /// <summary>All commands, for <c>help</c>.</summary>
    public CommandTable Table { get; }

    /// <summary>Whether informational output is suppressed (<c>-q</c>), as virsh's <c>vshPrintExtra</c>.</summary>
    public bool Quiet { get; }

    /// <summary>Standard input and output for commands that attach them to a guest (<c>console</c>).</summary>
    public TerminalStreams Terminal { get; init; } = new(TextReader.Null, false, null, null);

    /// <summary>Set by <c>quit</c>: no later command runs.</summary>
    public bool QuitRequested { get; set; }

    /// <summary>A string option's value, or null when not given (virsh's <c>vshCommandOptStringReq</c>).</summary>
    /// <exception cref="CommandFailedException">The value is empty; virsh's message was printed.</exception>
    public string? GetString(ParsedCommand command, string name)
    {
        string? value = command.Get(name);
        if (value is { Length: 0 })
        {
            Error($"Failed to get option '{name}': Option argument is empty");
            throw new CommandFailedException();
        }

        return value;
    }

    /// <summary>A required option's value (the parser guarantees it was given), refused when empty as <see cref="GetString"/> does.</summary>
    /// <exception cref="CommandFailedException">The value is empty; virsh's message was printed.</exception>
    public string RequireString(ParsedCommand command, string name) =>
        GetString(command, name) ?? throw new InvalidOperationException($"option --{name} is required but was not parsed");

    /// <summary>Prints virsh's message when two options that exclude each other are both given (<c>VSH_EXCLUSIVE_OPTIONS</c>).</summary>
    /// <returns>True when they conflict (and the message was printed).</returns>
    public bool Exclusive(ParsedCommand command, string first, string second)
    {
        if (command.Has(first) && command.Has(second))
        {
            Error($"Options --{first} and --{second} are mutually exclusive");
            return true;
        }

        return false;
    }

    /// <summary>Runs a library call; when it throws a <see cref="VirtException"/>, prints virsh's <paramref name="failure"/> line first.</summary>
    public void Attempt(string failure, Action action)
    {
        try
        {
            action();
        }
        catch (VirtException)
        {
            Error(failure);
            throw;
        }
    }

    /// <summary>Prints to standard output (virsh's <c>vshPrint</c>).</summary>
    public void Print(string text) => Out.Write(text);

    /// <summary>Prints one line of an info listing, the label padded as virsh's <c>"%-15s %s\n"</c>.</summary>
    public void PrintField(string label, string value) => Print(label.PadRight(15) + " " + value + "\n");

    /// <summary>Prints informational text unless quiet (virsh's <c>vshPrintExtra</c>).</summary>
    public void PrintExtra(string text)
    {
        if (!Quiet)
        {
            Out.Write(text);
        }
    }

    /// <summary>Prints <c>error: MESSAGE</c> to standard error (virsh's <c>vshError</c>).</summary>
    public void Error(string message) => WriteError(Out, Err, message);

    /// <summary>Writes <c>error: MESSAGE</c> to <paramref name="error"/> after flushing <paramref name="output"/>, so the two streams stay in order.</summary>
    public static void WriteError(TextWriter output, TextWriter error, string message)
    {
        output.Flush();
        error.Write("error: " + message + "\n");
        error.Flush();
    }
}

/// <summary>Thrown by a command that has already printed why it failed.</summary>
internal sealed class CommandFailedException : Exception
{
    public CommandFailedException()
        : base("the command failed")
    {
    }
}
