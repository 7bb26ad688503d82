namespace Virt.Conf;

/// <summary>One child of <c>&lt;features&gt;</c>, for example <c>&lt;acpi/&gt;</c> or <c>&lt;smm state='on'/&gt;</c>.</summary>
public sealed class DomainFeature
{
    /// <summary>Creates a feature.</summary>
    /// <param name="name">The element name, for example <c>acpi</c>.</param>
    /// <param name="state">The <c>state</c> attribute (<c>on</c>/<c>off</c>), or null when the element has none.</param>
    public DomainFeature(string name, string? state = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        State = state;
    }

    /// <summary>The element name, for example <c>acpi</c>, <c>apic</c>, <c>pae</c>, <c>smm</c>.</summary>
    public string Name { get; set; }

    /// <summary>The <c>state</c> attribute (<c>on</c>/<c>off</c>), or null.</summary>
    public string? State { get; set; }

    internal ElementExtras Extras { get; } = new();
}
