namespace Virt.Cli.Parsing;

/// <summary>Every command <c>virt</c> knows, by group. Command groups plug in here.</summary>
internal sealed class CommandTable
{
    private readonly Dictionary<string, CommandDef> _byName = new(StringComparer.Ordinal);

    public CommandTable(IEnumerable<CommandGroup> groups)
    {
        Groups = groups.ToArray();
        foreach (var command in Groups.SelectMany(g => g.Commands))
        {
            _byName.Add(command.Name, command);
        }
    }

    /// <summary>The groups, in the order <c>help</c> lists them.</summary>
    public IReadOnlyList<CommandGroup> Groups { get; }

    /// <summary>Finds a command by name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The command, or null.</returns>
    public CommandDef? Find(string name) => _byName.GetValueOrDefault(name);
}
