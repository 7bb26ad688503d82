using System.Text;
using Virt.Cli.Parsing;

namespace Virt.Cli.Commands;

/// <summary>The shell's own commands (virsh's "Virsh itself" group): echo, exit, help, quit.</summary>
internal static class VirshCommands
{
    public static CommandGroup Group => new("Virsh itself", "virsh",
    [
        new("echo",
            [
                OptionDef.Flag("shell", "escape for shell use"),
                OptionDef.Flag("xml", "escape for XML use"),
                OptionDef.Flag("split", "split each argument on ','; ',,' is an escape sequence"),
                OptionDef.Flag("err", "output to stderr"),
                new("string", OptionType.Argv, "arguments to echo"),
            ],
            "echo arguments. Used for internal testing.",
            "Echo back arguments, possibly with quoting. Used for internal testing.",
            Echo,
            CommandFlags.NoConnect),
        new("exit", [], "quit this interactive terminal", string.Empty, Quit, CommandFlags.NoConnect),
        new("help",
            [new("command", OptionType.String, "Prints global help, command specific help, or help for a group of related commands")],
            "print help",
            "Prints global help, command specific help, or help for a\n    group of related commands",
            Help,
            CommandFlags.NoConnect),
        new("quit", [], "quit this interactive terminal", string.Empty, Quit, CommandFlags.NoConnect),
    ]);

    private static bool Quit(CommandContext context, ParsedCommand command)
    {
        context.QuitRequested = true;
        return true;
    }

    private static bool Echo(CommandContext context, ParsedCommand command)
    {
        if (context.Exclusive(command, "shell", "xml"))
        {
            return false;
        }

        bool shell = command.Has("shell");
        bool xml = command.Has("xml");
        bool split = command.Has("split");
        var text = new StringBuilder();
        int count = 0;
        foreach (string word in command.GetAll("string"))
        {
            string current = word;
            if (xml)
            {
                current = VshStrings.EscapeXml(current);
            }

            if (shell)
            {
                current = VshStrings.EscapeShell(current);
            }

            if (count++ > 0)
            {
                text.Append(' ');
            }

            if (split)
            {
                foreach (string piece in VshStrings.SplitEscaped(current))
                {
                    text.Append(piece).Append('\n');
                }
            }
            else
            {
                text.Append(current);
            }
        }

        if (count > 0)
        {
            if (command.Has("err"))
            {
                context.Error(text.ToString());
            }
            else
            {
                context.Print(text.ToString());
            }
        }

        return true;
    }

    private static bool Help(CommandContext context, ParsedCommand command)
    {
        string? name = command.Get("command");
        if (name is null)
        {
            context.Print(HelpText.AllGroups(context.Table));
            return true;
        }

        if (context.Table.Find(name) is { } def)
        {
            context.Print(HelpText.Command(def));
            return true;
        }

        if (context.Table.Groups.FirstOrDefault(g => g.Keyword == name || g.Title == name) is { } group)
        {
            context.Print(HelpText.Group(group));
            return true;
        }

        context.Error($"command or command group '{name}' doesn't exist");
        return false;
    }
}
