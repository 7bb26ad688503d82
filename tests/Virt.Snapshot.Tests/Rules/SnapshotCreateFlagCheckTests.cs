using Virt.Snapshot.Rules;
using static Virt.Snapshot.Tests.Rules.RuleFixtures;

namespace Virt.Snapshot.Tests.Rules;

public class SnapshotCreateFlagCheckTests
{
    [Test]
    public void RedefineWithHaltIsRefusedWithLibvirtsWords()
    {
        Assert.Multiple(() =>
        {
            var halt = Fails(() => SnapshotCreateFlagCheck.Check(SnapshotCreateFlags.Redefine | SnapshotCreateFlags.Halt, Profile()));
            Assert.That(halt.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
            Assert.That(halt.Message, Is.EqualTo("invalid argument: redefine and halt flags in virDomainSnapshotCreateXML are mutually exclusive"));
        });
    }

    [Test]
    public void EachDriverPassesItsOwnSupportedFlagsAndFunctionName()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Fails(() => SnapshotCreateFlagCheck.Check(SnapshotCreateFlags.DiskOnly | SnapshotCreateFlags.NoMetadata, Profile())).Message,
                Is.EqualTo("unsupported flags (0x14) in function testDomainSnapshotCreateXML"));
            Assert.DoesNotThrow(() => SnapshotCreateFlagCheck.Check(SnapshotCreateFlags.DiskOnly | SnapshotCreateFlags.NoMetadata, QemuLike()));
            Assert.That(Fails(() => SnapshotCreateFlagCheck.Check((SnapshotCreateFlags)0x400, QemuLike())).Message,
                Is.EqualTo("unsupported flags (0x400) in function qemuDomainSnapshotCreateXML"));
        });
    }

    [Test]
    public void HaltIsRefusedForATransientDomainOnly()
    {
        var ex = Fails(() => SnapshotCreateFlagCheck.CheckHalt(SnapshotCreateFlags.Halt, persistent: false));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.OperationInvalid));
            Assert.That(ex.Message, Is.EqualTo("Requested operation is not valid: cannot halt after transient domain snapshot"));
            Assert.DoesNotThrow(() => SnapshotCreateFlagCheck.CheckHalt(SnapshotCreateFlags.Halt, persistent: true));
            Assert.DoesNotThrow(() => SnapshotCreateFlagCheck.CheckHalt(SnapshotCreateFlags.None, persistent: false));
        });
    }
}
