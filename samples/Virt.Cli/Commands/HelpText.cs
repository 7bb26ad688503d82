using System.Text;
using Virt.Cli.Parsing;

namespace Virt.Cli.Commands;

/// <summary>virsh's help layouts: the grouped list, one group, one command.</summary>
internal static class HelpText
{
    public static string AllGroups(CommandTable table)
    {
        var text = new StringBuilder("Grouped commands:\n\n");
        foreach (var group in table.Groups)
        {
            text.Append(Group(group));
        }

        return text.ToString();
    }

    public static string Group(CommandGroup group)
    {
        var text = new StringBuilder();
        text.Append(' ').Append(group.Title).Append(" (help keyword '").Append(group.Keyword).Append("'):\n");
        foreach (var command in group.Commands)
        {
            text.Append("    ").Append(command.Name.PadRight(30)).Append(' ').Append(command.Help).Append('\n');
        }

        return text.Append('\n').ToString();
    }

    public static string Command(CommandDef def)
    {
        var text = new StringBuilder();
        text.Append("  NAME\n    ").Append(def.Name).Append(" - ").Append(def.Help).Append('\n');
        text.Append("\n  SYNOPSIS\n    ").Append(def.Name);
        bool shortOpt = false;
        foreach (var opt in def.Options)
        {
            string fmt;
            switch (opt.Type)
            {
                case OptionType.Bool:
                    fmt = $"[--{opt.Name}]";
                    break;
                case OptionType.Int:
                    fmt = opt.IsRequired ? $"<{opt.Name}>" : $"[--{opt.Name} <number>]";
                    shortOpt |= opt.IsPositional;
                    break;
                case OptionType.String:
                    fmt = $"[--{opt.Name} <string>]";
                    shortOpt |= opt.IsPositional;
                    break;
                case OptionType.Data:
                    fmt = opt.IsRequired ? $"<{opt.Name}>" : $"[<{opt.Name}>]";
                    shortOpt |= opt.IsPositional;
                    break;
                default:
                    fmt = shortOpt
                        ? (opt.IsRequired ? $"{{[--{opt.Name}] <string>}}..." : $"[[--{opt.Name}] <string>]...")
                        : (opt.IsRequired ? $"<{opt.Name}>..." : $"[<{opt.Name}>]...");
                    break;
            }

            text.Append(' ').Append(fmt);
        }

        text.Append('\n');
        if (def.Description.Length > 0)
        {
            text.Append("\n  DESCRIPTION\n    ").Append(def.Description).Append('\n');
        }

        if (def.Options.Count > 0)
        {
            text.Append("\n  OPTIONS\n");
            shortOpt = false;
            foreach (var opt in def.Options)
            {
                string label = opt.Type switch
                {
                    OptionType.Bool => $"--{opt.Name}",
                    OptionType.Int => opt.IsPositional ? $"[--{opt.Name}] <number>" : $"--{opt.Name} <number>",
                    OptionType.String => $"--{opt.Name} <string>",
                    OptionType.Data => $"[--{opt.Name}] <string>",
                    _ => shortOpt ? $"[--{opt.Name}] <string>" : $"<{opt.Name}>",
                };
                shortOpt |= opt.Type is OptionType.Int or OptionType.String or OptionType.Data && opt.IsPositional;
                text.Append("    ").Append(label.PadRight(15)).Append("  ").Append(opt.Help).Append('\n');
            }
        }

        return text.Append('\n').ToString();
    }
}
