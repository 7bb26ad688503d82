using Virt.Cli.Commands;

namespace Virt.Cli.Parsing;

/// <summary>What a command needs from the shell.</summary>
[Flags]
internal enum CommandFlags
{
    /// <summary>Needs a connection.</summary>
    None = 0,
    /// <summary>Runs without a connection (virsh's <c>VSH_CMD_FLAG_NOCONNECT</c>).</summary>
    NoConnect = 1,
    /// <summary>Works on local files only: when every command given is offline, no connection is opened at all.</summary>
    Offline = 2,
}

/// <summary>A command's declaration, like virsh's <c>vshCmdDef</c>: name, options, help and handler.</summary>
/// <param name="Name">The command name.</param>
/// <param name="Options">The options in virsh's order: positional ones fill in this order.</param>
/// <param name="Help">The one-line summary (<c>help</c> lists it).</param>
/// <param name="Description">The text under DESCRIPTION in <c>help COMMAND</c>; empty for none.</param>
/// <param name="Handler">Runs the command; returns false when it failed (after printing why).</param>
/// <param name="Flags">What the command needs.</param>
internal sealed record CommandDef(
    string Name,
    IReadOnlyList<OptionDef> Options,
    string Help,
    string Description,
    Func<CommandContext, ParsedCommand, bool> Handler,
    CommandFlags Flags = CommandFlags.None)
{
    /// <summary>Finds an option by name.</summary>
    /// <param name="name">The name without dashes.</param>
    /// <returns>The option's index, or -1.</returns>
    public int IndexOf(string name)
    {
        for (int i = 0; i < Options.Count; i++)
        {
            if (Options[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>A named group of commands, as in virsh's grouped help.</summary>
/// <param name="Title">The heading, for example <c>Domain Management</c>.</param>
/// <param name="Keyword">The keyword for <c>help KEYWORD</c>.</param>
/// <param name="Commands">The commands, in the order help lists them.</param>
internal sealed record CommandGroup(string Title, string Keyword, IReadOnlyList<CommandDef> Commands);
