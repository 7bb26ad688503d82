using Virt.Snapshot.Rules;
using static Virt.Snapshot.Tests.Rules.RuleFixtures;

namespace Virt.Snapshot.Tests.Rules;

public class SnapshotRedefineRulesTests
{
    private static readonly Guid DomainUuid = Guid.Parse(Uuid);

    private static string Xml(string name, string state = "running", string? parent = null, string? domain = null, string extra = "") =>
        $"<domainsnapshot><name>{name}</name><state>{state}</state><creationTime>1</creationTime>{(parent is null ? "" : $"<parent><name>{parent}</name></parent>")}{extra}{domain ?? DomainXml(FileDisk("vda", "/i/vm.qcow2"))}</domainsnapshot>";

    private static SnapshotDefinition Prepare(SnapshotTree tree, string xml, SnapshotCreateFlags flags = SnapshotCreateFlags.None, params string[] files) =>
        SnapshotRedefineRules.Prepare(tree, SnapshotDefinition.Parse(xml, SnapshotParseFlags.Redefine), DomainUuid, flags, Profile(files));

    private static SnapshotTree Chain()
    {
        var tree = new SnapshotTree();
        foreach (var (name, parent) in new[] { ("a", (string?)null), ("b", "a"), ("c", "b") })
        {
            tree.Redefine(Prepare(tree, Xml(name, parent: parent)));
        }

        return tree;
    }

    [Test]
    public void PlacementIsCheckedAsLibvirtsCycleCheckWordsIt()
    {
        var tree = Chain();

        Assert.Multiple(() =>
        {
            Assert.That(Fails(() => Prepare(tree, Xml("x", parent: "x"))).Message, Is.EqualTo("invalid argument: cannot set moment x as its own parent"));
            Assert.That(Fails(() => Prepare(tree, Xml("x", parent: "nope"))).Message, Is.EqualTo("invalid argument: parent nope for moment x not found"));
            Assert.That(Fails(() => Prepare(tree, Xml("a", parent: "c"))).Message, Is.EqualTo("invalid argument: parent b would create cycle to a"));
            Assert.DoesNotThrow(() => Prepare(tree, Xml("c", parent: "a")));
        });
    }

    [Test]
    public void AReplacementKeepsItsKindAndTheDomainUuid()
    {
        var tree = Chain();
        string other = DomainXml(FileDisk("vda", "/i/vm.qcow2")).Replace(Uuid, "00000000-0000-0000-0000-000000000001", StringComparison.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(Fails(() => Prepare(tree, Xml("b", state: "shutoff"))).Message,
                Is.EqualTo("invalid argument: cannot change between online and offline snapshot state in snapshot b"));
            Assert.That(Fails(() => Prepare(tree, Xml("b", domain: other))).Message,
                Is.EqualTo("invalid argument: definition for snapshot b must use uuid 6695eb01-f6a4-8304-79aa-97f2502e193f"));
            Assert.That(Fails(() => Prepare(tree, Xml("n", state: "shutoff"), SnapshotCreateFlags.DiskOnly)).Message,
                Is.EqualTo("invalid argument: disk-only flag for snapshot n requires disk-snapshot state"));
        });
    }

    [Test]
    public void DiskOnlyAndFullSystemSnapshotsDoNotReplaceEachOther()
    {
        var tree = new SnapshotTree();
        tree.Redefine(Prepare(tree, Xml("d", state: "shutoff")));

        Assert.That(Fails(() => Prepare(tree, Xml("d", state: "disk-snapshot"))).Message,
            Is.EqualTo("invalid argument: cannot change between disk only and full system in snapshot d"));
    }

    [Test]
    public void ARedefinitionWithoutDomainInheritsTheReplacedOnesAndIsAlignedWithIt()
    {
        var tree = Chain();
        const string NoDomain = "<domainsnapshot><name>b</name><state>running</state><creationTime>2</creationTime><parent><name>a</name></parent></domainsnapshot>";

        var prepared = Prepare(tree, NoDomain);

        Assert.Multiple(() =>
        {
            Assert.That(prepared.DomainXml, Is.EqualTo(tree.Get("b").DomainXml));
            Assert.That(prepared.Disks.Single(), Is.EqualTo(Disk("vda", SnapshotLocation.Internal)));
            Assert.That(Fails(() => Prepare(tree, NoDomain.Replace("<name>b</name>", "<name>new</name>", StringComparison.Ordinal))).Message,
                Is.EqualTo("internal error: missing domain in snapshot"));
        });
    }

    [Test]
    public void AnEmbeddedDomainThatDoesNotParseIsRefusedAtRedefine()
    {
        var tree = new SnapshotTree();
        string broken = "<domain type='test'><name>vm</name><memory>1024</memory><os><type>hvm</type></os><devices><disk type='bogus'><target dev='vda'/></disk></devices></domain>";

        var ex = Fails(() => Prepare(tree, Xml("x", domain: broken)));
        var inactive = Fails(() => Prepare(tree, Xml("y", extra: broken.Replace("domain", "inactiveDomain", StringComparison.Ordinal))));
        var beforeParent = Fails(() => Prepare(tree, Xml("z", parent: "nope", domain: broken)));

        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.XmlError));
            Assert.That(ex.Message, Does.StartWith("XML error: unknown disk type 'bogus'"));
            Assert.That(inactive.Code, Is.EqualTo(VirtErrorCode.XmlError));
            Assert.That(beforeParent.Code, Is.EqualTo(VirtErrorCode.XmlError), "parsed with the snapshot XML, before the tree checks");
            Assert.That(tree.Count, Is.Zero);
        });
    }

    [Test]
    public void ExternalSnapshotsAlignWithExternalAsTheDefault()
    {
        var tree = new SnapshotTree();
        string domain = DomainXml(FileDisk("vda", "/i/a.qcow2"), FileDisk("vdb", "/i/b.qcow2"));

        var prepared = Prepare(tree, Xml("e", state: "disk-snapshot", domain: domain,
            extra: "<disks><disk name='vda' snapshot='external'><source file='/i/a.e'/></disk></disks>"), SnapshotCreateFlags.None, "/i/b.qcow2");

        Assert.That(prepared.Disks.Select(d => (d.Name, d.Snapshot, d.SourceType, d.SourcePath)), Is.EqualTo(new[]
        {
            ("vda", SnapshotLocation.External, "file", "/i/a.e"), ("vdb", SnapshotLocation.External, "file", "/i/b.e"),
        }));
    }
}
