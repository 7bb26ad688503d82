using Virt.Drivers.Rules;

namespace Virt.Core.Tests.Drivers.Rules;

public sealed class DomainDefineConflictsTests
{
    private static readonly Guid TestUuid = Guid.Parse("6695eb01-f6a4-8304-79aa-97f2502e193f");
    private static readonly Guid OtherUuid = Guid.Parse("11111111-2222-3333-4444-555555555555");
    private static readonly DefinedDomain Test = new("test", TestUuid, IsActive: true, IsPersistent: true);

    private static VirtException Fails(Action action) => Assert.Throws<VirtException>(() => action())!;

    [Test]
    public void NewNameAndUuidIsAdded() =>
        Assert.DoesNotThrow(() => DomainDefineConflicts.Check("new", OtherUuid, null, null));

    [Test]
    public void SameNameAndUuidReplacesEvenWhileRunning() =>
        Assert.DoesNotThrow(() => DomainDefineConflicts.Check("test", TestUuid, Test, Test));

    [Test]
    public void UuidOfAnotherNameIsRefused()
    {
        var ex = Fails(() => DomainDefineConflicts.Check("renamed", TestUuid, Test, null));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.OperationFailed));
            Assert.That(ex.Message, Is.EqualTo($"operation failed: domain 'test' is already defined with uuid {TestUuid}"));
        });
    }

    [Test]
    public void NameOfAnotherUuidIsRefused()
    {
        var ex = Fails(() => DomainDefineConflicts.Check("test", OtherUuid, null, Test));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.OperationFailed));
            Assert.That(ex.Message, Is.EqualTo($"operation failed: domain 'test' already exists with uuid {TestUuid}"));
        });
    }

    [Test]
    public void StartingATransientDomainRefusesARunningOrTransientOne()
    {
        // virsh -c test:///default create (dumpxml test): "Requested operation is not valid: domain 'test' is already active".
        var active = Fails(() => DomainDefineConflicts.Check("test", TestUuid, Test, Test, refuseLive: true));
        var transient = Fails(() => DomainDefineConflicts.Check("test", TestUuid, Test with { IsActive = false, IsPersistent = false }, null, refuseLive: true));
        Assert.Multiple(() =>
        {
            Assert.That(active.Code, Is.EqualTo(VirtErrorCode.OperationInvalid));
            Assert.That(active.Message, Is.EqualTo("Requested operation is not valid: domain 'test' is already active"));
            Assert.That(transient.Code, Is.EqualTo(VirtErrorCode.OperationInvalid));
            Assert.That(transient.Message, Is.EqualTo("Requested operation is not valid: domain 'test' is already being started"));
            Assert.DoesNotThrow(() => DomainDefineConflicts.Check("test", TestUuid, Test with { IsActive = false }, null, refuseLive: true));
        });
    }
}
