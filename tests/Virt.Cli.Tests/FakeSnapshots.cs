using Moq;

namespace Virt.Cli.Tests;

/// <summary>A Moq'd snapshot tree on one domain: names, parents, a current one, XML with state and creation time.</summary>
internal sealed class FakeSnapshots
{
    private readonly Dictionary<string, Mock<IVirtDomainSnapshot>> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _parents = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly Mock<IVirtDomain> _domain;

    public FakeSnapshots(Mock<IVirtDomain> domain)
    {
        _domain = domain;
        domain.Setup(d => d.ListSnapshots(It.IsAny<SnapshotListFlags>())).Returns((SnapshotListFlags f) =>
            _order.Where(n => (f & SnapshotListFlags.Roots) == 0 || _parents[n] is null)
                .Where(n => (f & SnapshotListFlags.Leaves) == 0 || !Children(n).Any())
                .Select(n => _byName[n].Object).ToArray());
        domain.Setup(d => d.LookupSnapshot(It.IsAny<string>())).Returns((string n) =>
            _byName.TryGetValue(n, out var s) ? s.Object : throw new VirtException(VirtErrorCode.NoDomainSnapshot, $"no domain snapshot with matching name '{n}'"));
        domain.SetupGet(d => d.HasCurrentSnapshot).Returns(() => Current is not null);
        domain.Setup(d => d.GetCurrentSnapshot()).Returns(() =>
            Current is { } c ? _byName[c].Object : throw new VirtException(VirtErrorCode.NoDomainSnapshot, "the domain does not have a current snapshot"));
    }

    public string? Current { get; set; }

    /// <summary>Adds a snapshot, in creation order.</summary>
    public Mock<IVirtDomainSnapshot> Add(string name, string? parent, string state = "running", long created = 1700000000, string location = "internal")
    {
        var snapshot = new Mock<IVirtDomainSnapshot>();
        snapshot.SetupGet(s => s.Name).Returns(name);
        snapshot.SetupGet(s => s.Domain).Returns(_domain.Object);
        snapshot.SetupGet(s => s.HasMetadata).Returns(true);
        snapshot.SetupGet(s => s.IsCurrent).Returns(() => Current == name);
        snapshot.Setup(s => s.GetParent()).Returns(() =>
            _parents[name] is { } p ? _byName[p].Object : throw new VirtException(VirtErrorCode.NoDomainSnapshot, $"snapshot '{name}' does not have a parent"));
        snapshot.Setup(s => s.ListChildren(It.IsAny<SnapshotListFlags>())).Returns((SnapshotListFlags f) =>
            ((f & SnapshotListFlags.Descendants) != 0 ? Descendants(name) : Children(name)).Select(n => _byName[n].Object).ToArray());
        string parentXml = parent is null ? string.Empty : $"  <parent>\n    <name>{parent}</name>\n  </parent>\n";
        snapshot.Setup(s => s.GetXmlDescription(It.IsAny<SnapshotXmlFlags>())).Returns(
            $"<domainsnapshot>\n  <name>{name}</name>\n  <state>{state}</state>\n{parentXml}  <creationTime>{created}</creationTime>\n" +
            $"  <memory snapshot='{location}'/>\n</domainsnapshot>\n");
        _byName[name] = snapshot;
        _parents[name] = parent;
        _order.Add(name);
        return snapshot;
    }

    private IEnumerable<string> Children(string name) => _order.Where(n => _parents[n] == name);

    private IEnumerable<string> Descendants(string name) => Children(name).SelectMany(c => Descendants(c).Prepend(c));
}
