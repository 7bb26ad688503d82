using System.Numerics;

namespace Virt.Cli.Parsing;

/// <summary>
/// Turns words into commands with virsh's rules (its <c>vshCommandParse</c>): options by name as
/// <c>--opt value</c> or <c>--opt=value</c>; bare words fill the positional options in declaration
/// order; <c>--</c> makes every later word data; <c>--help</c> turns the command into
/// <c>help COMMAND</c>. A syntax error anywhere rejects the whole input, as in virsh.
/// </summary>
internal sealed class CommandParser
{
    private static readonly OptionDef HelpOption = OptionDef.Flag("help", "print help for this command");

    private readonly CommandTable _table;

    public CommandParser(CommandTable table) => _table = table;

    /// <summary>Parses every command the source holds.</summary>
    /// <param name="source">The words.</param>
    /// <param name="commands">The commands, in order, when parsing succeeded.</param>
    /// <param name="error">virsh's message (without <c>error: </c>) when it failed.</param>
    /// <returns>Whether parsing succeeded.</returns>
    public bool TryParse(ITokenSource source, out List<ParsedCommand> commands, out string? error)
    {
        commands = [];
        error = null;
        while (true)
        {
            CommandDef? def = null;
            var values = new List<(OptionDef Option, string? Value)>();
            bool dataOnly = false;
            ulong needArg = 0;
            ulong required = 0;
            ulong seen = 0;
            TokenKind kind;
            while (true)
            {
                kind = source.Next(out string word, out error);
                if (kind == TokenKind.Error)
                {
                    return false;
                }

                if (kind != TokenKind.Arg)
                {
                    break;
                }

                OptionDef? option = null;
                string? value = word;
                if (def is null)
                {
                    if (word.StartsWith('#'))
                    {
                        do
                        {
                            kind = source.Next(out _, out error);
                        }
                        while (kind == TokenKind.Arg);
                        if (kind == TokenKind.Error)
                        {
                            return false;
                        }

                        break;
                    }

                    def = _table.Find(word);
                    if (def is null)
                    {
                        error = $"unknown command: '{word}'";
                        return false;
                    }

                    (needArg, required) = PositionalMasks(def);
                    continue;
                }

                if (!dataOnly && word.Length > 2 && word[0] == '-' && word[1] == '-' && char.IsAsciiLetterOrDigit(word[2]))
                {
                    string name = word[2..];
                    string? inline = null;
                    int eq = name.IndexOf('=', StringComparison.Ordinal);
                    if (eq >= 0)
                    {
                        inline = name[(eq + 1)..];
                        name = name[..eq];
                    }

                    option = FindOption(def, name, ref seen, out int index, out error);
                    if (option is null)
                    {
                        if (def.Name == "help")
                        {
                            error = null;
                            continue;
                        }

                        return false;
                    }

                    if (option.Type != OptionType.Bool)
                    {
                        if (inline is not null)
                        {
                            value = inline;
                        }
                        else
                        {
                            kind = source.Next(out value, out error);
                            if (kind == TokenKind.Error)
                            {
                                return false;
                            }

                            if (kind != TokenKind.Arg)
                            {
                                error = $"expected syntax: --{option.Name} <{(option.Type == OptionType.Int ? "number" : "string")}>";
                                return false;
                            }
                        }

                        if (option.Type != OptionType.Argv && index >= 0)
                        {
                            needArg &= ~(1UL << index);
                        }
                    }
                    else
                    {
                        value = null;
                        if (inline is not null)
                        {
                            error = $"invalid '=' after option --{option.Name}";
                            return false;
                        }
                    }
                }
                else if (!dataOnly && word == "--")
                {
                    dataOnly = true;
                    continue;
                }
                else
                {
                    option = NextPositional(def, ref needArg, ref seen);
                    if (option is null && def.Name != "help")
                    {
                        error = $"unexpected data '{word}'";
                        return false;
                    }
                }

                if (option is not null)
                {
                    values.Add((option, value));
                }
            }

            if (def is not null)
            {
                if (values.Exists(v => ReferenceEquals(v.Option, HelpOption)))
                {
                    var help = _table.Find("help")!;
                    values = [(help.Options[0], def.Name)];
                    def = help;
                    required = 0;
                    seen = 0;
                }

                ulong missing = required & ~seen;
                if (missing != 0)
                {
                    var opt = def.Options[BitOperations.TrailingZeroCount(missing)];
                    error = opt.Type is OptionType.Data or OptionType.Argv
                        ? $"command '{def.Name}' requires <{opt.Name}> option"
                        : $"command '{def.Name}' requires --{opt.Name} option";
                    return false;
                }

                commands.Add(new ParsedCommand(def, values));
            }

            if (kind == TokenKind.End)
            {
                return true;
            }
        }
    }

    private static (ulong NeedArg, ulong Required) PositionalMasks(CommandDef def)
    {
        ulong needArg = 0;
        ulong required = 0;
        for (int i = 0; i < def.Options.Count && i < 64; i++)
        {
            var opt = def.Options[i];
            if (opt.IsRequired)
            {
                required |= 1UL << i;
            }

            if (opt.IsPositional)
            {
                needArg |= 1UL << i;
            }
        }

        return (needArg, required);
    }

    private static OptionDef? FindOption(CommandDef def, string name, ref ulong seen, out int index, out string? error)
    {
        error = null;
        index = -1;
        if (name == HelpOption.Name)
        {
            return HelpOption;
        }

        index = def.IndexOf(name);
        if (index < 0)
        {
            error = $"command '{def.Name}' doesn't support option --{name}";
            return null;
        }

        var opt = def.Options[index];
        if ((seen & (1UL << index)) != 0 && opt.Type != OptionType.Argv)
        {
            error = $"option --{name} already seen";
            return null;
        }

        seen |= 1UL << index;
        return opt;
    }

    private static OptionDef? NextPositional(CommandDef def, ref ulong needArg, ref ulong seen)
    {
        if (needArg == 0)
        {
            return null;
        }

        int i = BitOperations.TrailingZeroCount(needArg);
        var opt = def.Options[i];
        if (opt.Type != OptionType.Argv)
        {
            needArg &= ~(1UL << i);
        }

        seen |= 1UL << i;
        return opt;
    }
}
