namespace Virt.Cli.Parsing;

/// <summary>The kinds of option virsh knows (its <c>vshCmdOptType</c>).</summary>
internal enum OptionType
{
    /// <summary>A flag without a value: <c>--reason</c>.</summary>
    Bool,
    /// <summary>A value that may also be given by position: <c>[--domain] NAME</c>.</summary>
    Data,
    /// <summary>A named string option (positional too unless <see cref="OptionFlags.RequiresName"/>): <c>--mode acpi</c>.</summary>
    String,
    /// <summary>A named integer option.</summary>
    Int,
    /// <summary>All remaining values: <c>[--cmd] WORD...</c>. Must be the last option.</summary>
    Argv,
}

/// <summary>Option flags, as virsh's <c>VSH_OFLAG_*</c>.</summary>
[Flags]
internal enum OptionFlags
{
    /// <summary>Optional.</summary>
    None = 0,
    /// <summary>The option must be given.</summary>
    Required = 1,
    /// <summary>The option can only be given by name, never by position.</summary>
    RequiresName = 2,
}

/// <summary>One option of a command, declared like virsh's <c>vshCmdOptDef</c>.</summary>
/// <param name="Name">The name without dashes.</param>
/// <param name="Type">The kind of value.</param>
/// <param name="Help">The text <c>help COMMAND</c> shows.</param>
/// <param name="Flags">Whether it is required and whether it may be positional.</param>
internal sealed record OptionDef(string Name, OptionType Type, string Help, OptionFlags Flags = OptionFlags.None)
{
    /// <summary>Whether the option is required.</summary>
    public bool IsRequired => (Flags & OptionFlags.Required) != 0;

    /// <summary>Whether a bare word can fill the option.</summary>
    public bool IsPositional => Type != OptionType.Bool && (Flags & OptionFlags.RequiresName) == 0;

    /// <summary>A required boolean-less positional option: <c>[--domain] &lt;string&gt;</c>.</summary>
    public static OptionDef Domain(string help = "domain name, id or uuid") =>
        new("domain", OptionType.Data, help, OptionFlags.Required);

    /// <summary>A flag.</summary>
    public static OptionDef Flag(string name, string help) => new(name, OptionType.Bool, help);
}
