using Virt.Drivers.Rules;

namespace Virt.Core.Tests.Drivers.Rules;

public sealed class DomainUndefineRulesTests
{
    [Test]
    public void NvramAndKeepNvramTogetherAreRefused()
    {
        var ex = Assert.Throws<VirtException>(() => DomainUndefineRules.CheckNvramFlags(DomainUndefineFlags.Nvram | DomainUndefineFlags.KeepNvram))!;
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.OperationInvalid));
            Assert.That(ex.Message, Is.EqualTo("Requested operation is not valid: cannot both keep and delete nvram"));
            Assert.DoesNotThrow(() => DomainUndefineRules.CheckNvramFlags(DomainUndefineFlags.Nvram | DomainUndefineFlags.SnapshotsMetadata));
            Assert.DoesNotThrow(() => DomainUndefineRules.CheckNvramFlags(DomainUndefineFlags.KeepNvram));
        });
    }

    [Test]
    public void InactiveDomainWithSnapshotsNeedsTheFlag()
    {
        var ex = Assert.Throws<VirtException>(() => DomainUndefineRules.MustRemoveSnapshotMetadata(false, 3, DomainUndefineFlags.None))!;
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.OperationInvalid));
            Assert.That(ex.Message, Is.EqualTo("Requested operation is not valid: cannot delete inactive domain with 3 snapshots"));
            Assert.That(DomainUndefineRules.MustRemoveSnapshotMetadata(false, 3, DomainUndefineFlags.SnapshotsMetadata), Is.True);
            Assert.That(DomainUndefineRules.MustRemoveSnapshotMetadata(true, 3, DomainUndefineFlags.None), Is.False, "a running domain keeps its snapshots");
            Assert.That(DomainUndefineRules.MustRemoveSnapshotMetadata(false, 0, DomainUndefineFlags.None), Is.False);
        });
    }
}
