namespace Virt.Cli.Parsing;

/// <summary>A command with the option values given on its line.</summary>
internal sealed class ParsedCommand
{
    private readonly List<(OptionDef Option, string? Value)> _values;

    public ParsedCommand(CommandDef definition, List<(OptionDef Option, string? Value)> values)
    {
        Definition = definition;
        _values = values;
    }

    /// <summary>The command.</summary>
    public CommandDef Definition { get; }

    /// <summary>The options given, in order.</summary>
    public IReadOnlyList<(OptionDef Option, string? Value)> Values => _values;

    /// <summary>Whether the flag or option was given.</summary>
    public bool Has(string name) => _values.Exists(v => v.Option.Name == name);

    /// <summary>The option's value, or null when not given.</summary>
    public string? Get(string name) => _values.Find(v => v.Option.Name == name).Value;

    /// <summary>All values of an <see cref="OptionType.Argv"/> option, in order.</summary>
    public IReadOnlyList<string> GetAll(string name) =>
        _values.Where(v => v.Option.Name == name && v.Value is not null).Select(v => v.Value!).ToArray();
}
