using System.Xml.Linq;

namespace Virt.Contract;

/// <summary>
/// Helpers shared by the snapshot contracts: a shut-off domain (snapshots of a domain without disks need no
/// VM state, so every driver can take them) and snapshot XML as a caller would write or redefine it.
/// </summary>
public abstract class SnapshotContract(ContractTarget target) : DriverContract(target)
{
    /// <summary>The shut-off domain of the current test.</summary>
    protected IVirtDomain Domain { get; private set; } = null!;

    [SetUp]
    public void DefineSnapshotDomain() => Domain = Define("snap");

    /// <summary>The minimal snapshot XML naming <paramref name="name"/>.</summary>
    protected static string SnapshotXml(string name) => $"<domainsnapshot><name>{name}</name></domainsnapshot>";

    /// <summary>Creates snapshot <paramref name="name"/> of <see cref="Domain"/>.</summary>
    protected IVirtDomainSnapshot Create(string name, SnapshotCreateFlags flags = SnapshotCreateFlags.None) =>
        Domain.CreateSnapshot(SnapshotXml(name), flags);

    /// <summary>Creates snapshots one after another; each becomes the child of the one before.</summary>
    protected void Chain(params string[] names)
    {
        foreach (string name in names)
        {
            Create(name);
        }
    }

    /// <summary>The names of <paramref name="snapshots"/>, sorted (libvirt lists in no particular order).</summary>
    protected static string[] Names(IEnumerable<IVirtDomainSnapshot> snapshots) => [.. snapshots.Select(s => s.Name).Order(StringComparer.Ordinal)];

    /// <summary>The names of every snapshot of <see cref="Domain"/> matching <paramref name="flags"/>, sorted.</summary>
    protected string[] Listed(SnapshotListFlags flags = SnapshotListFlags.None) => Names(Domain.ListSnapshots(flags));

    /// <summary>The parent's name, or null for a root.</summary>
    protected string? ParentOf(string name)
    {
        try
        {
            return Domain.LookupSnapshot(name).GetParent().Name;
        }
        catch (VirtException e) when (e.Code == VirtErrorCode.NoDomainSnapshot)
        {
            return null;
        }
    }

    /// <summary>The current snapshot's name, or null.</summary>
    protected string? CurrentName => Domain.HasCurrentSnapshot ? Domain.GetCurrentSnapshot().Name : null;

    /// <summary>The snapshot's XML as the driver describes it, with its parent replaced by <paramref name="parent"/> (none when null), for a redefine.</summary>
    protected string RedefinitionOf(string name, string? parent)
    {
        var doc = XDocument.Parse(Domain.LookupSnapshot(name).GetXmlDescription());
        doc.Root!.Element("parent")?.Remove();
        if (parent is not null)
        {
            doc.Root.Element("name")!.AddAfterSelf(new XElement("parent", new XElement("name", parent)));
        }

        return doc.ToString();
    }
}
