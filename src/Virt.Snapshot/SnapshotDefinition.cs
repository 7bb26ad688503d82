using Virt.Snapshot.Xml;

namespace Virt.Snapshot;

/// <summary>
/// A domain snapshot's definition, as libvirt's domainsnapshot XML describes it. Immutable: change it with a
/// <c>with</c> expression. <see cref="Parse"/> and <see cref="ToXml"/> read and write the XML exactly as libvirt
/// does, so <see cref="ToXml"/> equals <c>virsh snapshot-dumpxml</c> for the same snapshot.
/// </summary>
public sealed record SnapshotDefinition
{
    /// <summary>The snapshot's name, unique within its domain; null only in XML for a new snapshot before a
    /// name is generated.</summary>
    public string? Name { get; init; }

    /// <summary>A free-form description, or null.</summary>
    public string? Description { get; init; }

    /// <summary>The domain's state when the snapshot was taken; <see cref="SnapshotState.NoState"/> when not known.</summary>
    public SnapshotState State { get; init; }

    /// <summary>The parent snapshot's name, or null for a root.</summary>
    public string? ParentName { get; init; }

    /// <summary>When the snapshot was taken, in seconds since the Unix epoch; 0 when not known.</summary>
    public long CreationTime { get; init; }

    /// <summary>Whether and where the memory (VM state) is kept.</summary>
    public SnapshotLocation Memory { get; init; }

    /// <summary>The external memory file (absolute path) when <see cref="Memory"/> is external.</summary>
    public string? MemoryFile { get; init; }

    /// <summary>The disks and how each takes part, in document order.</summary>
    public IReadOnlyList<SnapshotDiskDefinition> Disks { get; init; } = [];

    /// <summary>For the current snapshot after a revert to an external snapshot: the overlays the domain's disks
    /// were given by that revert (libvirt's <c>&lt;revertDisks&gt;</c>, read only from XML of an existing snapshot),
    /// in document order; empty for none.</summary>
    public IReadOnlyList<SnapshotDiskDefinition> RevertDisks { get; init; } = [];

    /// <summary>The domain's live definition at snapshot time, as standalone domain XML (root element
    /// <c>domain</c>), or null.</summary>
    public string? DomainXml { get; init; }

    /// <summary>The domain's persistent definition at snapshot time when it differed from the live one, as
    /// standalone domain XML (root element <c>domain</c>), or null.</summary>
    public string? InactiveDomainXml { get; init; }

    /// <summary>The driver's save cookie: the XML inside <c>&lt;cookie&gt;</c>, or null.</summary>
    public string? CookieXml { get; init; }

    /// <summary>Whether the snapshot uses external files for memory or any disk.</summary>
    public bool IsExternal => Memory == SnapshotLocation.External || Disks.Any(d => d.Snapshot == SnapshotLocation.External);

    /// <summary>Whether the domain was running or paused when the snapshot was taken (a full system snapshot of a
    /// live domain).</summary>
    public bool IsOnline => State is SnapshotState.Running or SnapshotState.Paused;

    /// <summary>Whether the snapshot holds no memory state: taken while off, or disk-only.</summary>
    public bool IsOffline => State is SnapshotState.Shutoff or SnapshotState.DiskSnapshot;

    /// <summary>Reads domainsnapshot XML. DTDs are refused; input is limited in size and depth.</summary>
    /// <param name="xml">The XML text.</param>
    /// <param name="flags">Whether this is XML of an existing snapshot (<see cref="SnapshotParseFlags.Redefine"/>).</param>
    /// <param name="now">The creation time of a new snapshot (ignored with <see cref="SnapshotParseFlags.Redefine"/>);
    /// the current time when null.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="xml"/> is null.</exception>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.XmlError"/> when the XML is malformed, hostile or
    /// invalid; <see cref="VirtErrorCode.ConfigUnsupported"/> for an unknown disk driver type.</exception>
    public static SnapshotDefinition Parse(string xml, SnapshotParseFlags flags = SnapshotParseFlags.None, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return SnapshotXmlParser.Parse(xml, flags, now ?? DateTimeOffset.UtcNow);
    }

    /// <summary>Writes the definition as libvirt domainsnapshot XML, ending with a newline.</summary>
    /// <returns>The XML.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.XmlError"/> when <see cref="DomainXml"/>,
    /// <see cref="InactiveDomainXml"/> or <see cref="CookieXml"/> is not well-formed XML.</exception>
    public string ToXml() => SnapshotXmlFormatter.Format(this);
}
