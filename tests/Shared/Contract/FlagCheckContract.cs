namespace Virt.Contract;

/// <summary>
/// Flags libvirt refuses in its public API (libvirt-domain-snapshot.c) before any driver runs: mutually exclusive
/// pairs and required companions, worded as virsh shows them, with nothing changed. Unknown bits are refused as
/// unsupported by the driver (the function it names differs per driver).
/// </summary>
public abstract class FlagCheckContract(ContractTarget target) : SnapshotContract(target)
{
    private static string Exclusive(string first, string second) => $"Flags '{first}' and '{second}' are mutually exclusive";

    [Test]
    public void CreateCurrentRequiresRedefine()
    {
        Create("a");
        FailsWith(VirtErrorCode.InvalidArg, "Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE' is required by flag 'VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT'",
            () => Create("b", SnapshotCreateFlags.Current));
        Assert.That(Listed(), Is.EqualTo(new[] { "a" }));
    }

    [Test]
    public void CreateRedefineAndNoMetadataAreExclusive()
    {
        Create("a");
        FailsWith(VirtErrorCode.InvalidArg, Exclusive("VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE", "VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA"),
            () => Domain.CreateSnapshot(RedefinitionOf("a", null), SnapshotCreateFlags.Redefine | SnapshotCreateFlags.NoMetadata));
    }

    [Test]
    public void RevertRunningAndPausedAreExclusive()
    {
        Chain("a", "b");
        FailsWith(VirtErrorCode.InvalidArg, Exclusive("VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING", "VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED"),
            () => Domain.LookupSnapshot("a").Revert(SnapshotRevertFlags.Running | SnapshotRevertFlags.Paused));
        Assert.Multiple(() =>
        {
            Assert.That(CurrentName, Is.EqualTo("b"));
            Assert.That(Domain.IsActive, Is.False);
        });
    }

    [Test]
    public void DeleteChildrenAndChildrenOnlyAreExclusive()
    {
        Chain("a", "b");
        FailsWith(VirtErrorCode.InvalidArg, Exclusive("VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN", "VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY"),
            () => Domain.LookupSnapshot("a").Delete(SnapshotDeleteFlags.Children | SnapshotDeleteFlags.ChildrenOnly));
        Assert.That(Listed(), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void ExclusiveFlagsAreRefusedBeforeTheDriverLooksAtTheDomain()
    {
        var a = Create("a");
        Domain.Undefine(DomainUndefineFlags.SnapshotsMetadata);
        Assert.Multiple(() =>
        {
            FailsWith(VirtErrorCode.InvalidArg, Exclusive("VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING", "VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED"),
                () => a.Revert(SnapshotRevertFlags.Running | SnapshotRevertFlags.Paused));
            FailsWith(VirtErrorCode.InvalidArg, Exclusive("VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN", "VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY"),
                () => a.Delete(SnapshotDeleteFlags.Children | SnapshotDeleteFlags.ChildrenOnly));
            FailsWith(VirtErrorCode.InvalidArg, "Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE' is required by flag 'VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT'",
                () => Domain.CreateSnapshot(SnapshotXml("b"), SnapshotCreateFlags.Current));
        });
    }

    [Test]
    public void HaltAfterASnapshotOfATransientDomainIsRefused()
    {
        var transient = Transient("halt");
        FailsWith(VirtErrorCode.OperationInvalid, "Requested operation is not valid: cannot halt after transient domain snapshot",
            () => transient.CreateSnapshot(SnapshotXml("s"), SnapshotCreateFlags.Halt));
        Assert.Multiple(() =>
        {
            Assert.That(transient.IsActive, Is.True);
            Assert.That(transient.ListSnapshots(), Is.Empty);
        });
    }

    [Test]
    public void UnknownSnapshotCreateBitsAreUnsupported()
    {
        var ex = Fails(() => Create("a", (SnapshotCreateFlags)(1 << 20)));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
            Assert.That(ex.Message, Does.StartWith("unsupported flags (0x100000) in function "));
            Assert.That(Listed(), Is.Empty);
        });
    }

    [Test]
    public void UnknownStartBitsAreUnsupported()
    {
        var ex = Fails(() => Domain.Start((DomainStartFlags)(1 << 20)));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
            Assert.That(ex.Message, Does.StartWith("unsupported flags (0x100000) in function "));
            Assert.That(Domain.IsActive, Is.False);
        });
    }

    [Test]
    public void UnknownRevertAndDeleteBitsAreUnsupported()
    {
        var a = Create("a");
        Assert.Multiple(() =>
        {
            Assert.That(Fails(() => a.Revert((SnapshotRevertFlags)(1 << 20))).Message, Does.StartWith("unsupported flags (0x100000) in function "));
            Assert.That(Fails(() => a.Delete((SnapshotDeleteFlags)(1 << 20))).Message, Does.StartWith("unsupported flags (0x100000) in function "));
            Assert.That(Listed(), Is.EqualTo(new[] { "a" }));
        });
    }
}
