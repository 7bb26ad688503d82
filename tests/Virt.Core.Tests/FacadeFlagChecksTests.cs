using Moq;
using Moq.Protected;
using Virt.Drivers;

namespace Virt.Core.Tests;

/// <summary>The flag checks libvirt's public API (libvirt-domain-snapshot.c) makes before any driver runs: a strict
/// driver mock proves the driver is never called.</summary>
public sealed class FacadeFlagChecksTests
{
    private static readonly DomainIdentity Web = new("web", Guid.Parse("6695eb01-f6a4-8304-79aa-97f2502e193f"));
    private static readonly SnapshotIdentity S1 = new(Web, "s1");

    private Mock<VirtDriver> _driver = null!;
    private VirtConnection _connection = null!;

    [SetUp]
    public void Open()
    {
        _driver = new Mock<VirtDriver>(MockBehavior.Strict);
        _driver.Setup(d => d.LookupDomainByName("web")).Returns(Web);
        _driver.Setup(d => d.LookupSnapshot(Web, "s1")).Returns(S1);
        _driver.Protected().Setup("Dispose", ItExpr.IsAny<bool>());
        var factory = new Mock<VirtDriverFactory>();
        factory.SetupGet(f => f.Scheme).Returns("mock");
        factory.Setup(f => f.Open(It.IsAny<VirtUri>(), It.IsAny<VirtConnectionOptions>())).Returns(_driver.Object);
        var registry = new VirtDriverRegistry();
        registry.Register(factory.Object);
        _connection = VirtConnection.Open("mock:///", new VirtConnectionOptions { Registry = registry });
    }

    [TearDown]
    public void Close() => _connection.Dispose();

    private IVirtDomain Domain => _connection.LookupDomainByName("web");

    private IVirtDomainSnapshot Snapshot => Domain.LookupSnapshot("s1");

    private static void AssertInvalidArg(Action call, string message)
    {
        var ex = Assert.Throws<VirtException>(() => call())!;
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
            Assert.That(ex.Message, Is.EqualTo(message));
        });
    }

    [Test]
    public void RevertRunningAndPausedAreExclusive() =>
        AssertInvalidArg(() => Snapshot.Revert(SnapshotRevertFlags.Running | SnapshotRevertFlags.Paused | SnapshotRevertFlags.Force),
            "Flags 'VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING' and 'VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED' are mutually exclusive");

    [Test]
    public void DeleteChildrenAndChildrenOnlyAreExclusive() =>
        AssertInvalidArg(() => Snapshot.Delete(SnapshotDeleteFlags.Children | SnapshotDeleteFlags.ChildrenOnly),
            "Flags 'VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN' and 'VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY' are mutually exclusive");

    [Test]
    public void CreateCurrentNeedsRedefineAndIsCheckedFirst() =>
        AssertInvalidArg(() => Domain.CreateSnapshot("<domainsnapshot/>", SnapshotCreateFlags.Current | SnapshotCreateFlags.NoMetadata),
            "Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE' is required by flag 'VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT'");

    [Test]
    public void CreateRedefineAndNoMetadataAreExclusive() =>
        AssertInvalidArg(() => Domain.CreateSnapshot("<domainsnapshot/>", SnapshotCreateFlags.Redefine | SnapshotCreateFlags.NoMetadata),
            "Flags 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE' and 'VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA' are mutually exclusive");

    [Test]
    public void AllowedCombinationsReachTheDriver()
    {
        _driver.Setup(d => d.RevertToSnapshot(S1, SnapshotRevertFlags.Running | SnapshotRevertFlags.Force, null, CancellationToken.None));
        _driver.Setup(d => d.DeleteSnapshot(S1, SnapshotDeleteFlags.ChildrenOnly | SnapshotDeleteFlags.MetadataOnly, null, CancellationToken.None));
        _driver.Setup(d => d.CreateSnapshot(Web, "<x/>", SnapshotCreateFlags.Redefine | SnapshotCreateFlags.Current | SnapshotCreateFlags.Halt, null, CancellationToken.None)).Returns(S1);

        Snapshot.Revert(SnapshotRevertFlags.Running | SnapshotRevertFlags.Force);
        Snapshot.Delete(SnapshotDeleteFlags.ChildrenOnly | SnapshotDeleteFlags.MetadataOnly);
        Domain.CreateSnapshot("<x/>", SnapshotCreateFlags.Redefine | SnapshotCreateFlags.Current | SnapshotCreateFlags.Halt);

        _driver.Verify(d => d.RevertToSnapshot(S1, SnapshotRevertFlags.Running | SnapshotRevertFlags.Force, null, CancellationToken.None), Times.Once);
        _driver.Verify(d => d.DeleteSnapshot(S1, SnapshotDeleteFlags.ChildrenOnly | SnapshotDeleteFlags.MetadataOnly, null, CancellationToken.None), Times.Once);
        _driver.Verify(d => d.CreateSnapshot(Web, "<x/>", SnapshotCreateFlags.Redefine | SnapshotCreateFlags.Current | SnapshotCreateFlags.Halt, null, CancellationToken.None), Times.Once);
    }
}
