using Virt.Qemu.Driver.Monitor;

namespace Virt.Qemu.Tests.Driver;

public class QemuRunStateTests
{
    [TestCase("inmigrate", DomainPausedReason.Migration)]
    [TestCase("postmigrate", DomainPausedReason.Migration)]
    [TestCase("finish-migrate", DomainPausedReason.Migration)]
    [TestCase("io-error", DomainPausedReason.IOError)]
    [TestCase("paused", DomainPausedReason.User)]
    [TestCase("prelaunch", DomainPausedReason.User)]
    [TestCase("save-vm", DomainPausedReason.Save)]
    [TestCase("shutdown", DomainPausedReason.ShuttingDown)]
    [TestCase("watchdog", DomainPausedReason.Watchdog)]
    [TestCase("guest-panicked", DomainPausedReason.Crashed)]
    [TestCase("internal-error", DomainPausedReason.Unknown)]
    [TestCase("debug", DomainPausedReason.Unknown)]
    [TestCase("restore-vm", DomainPausedReason.Unknown)]
    public void StoppedRunStatesArePausedWithLibvirtsReason(string status, DomainPausedReason reason) =>
        Assert.That(QemuRunState.ToDomainState(false, status), Is.EqualTo(new DomainStateInfo(DomainState.Paused, (int)reason)));

    [Test]
    public void ARunningQemuIsRunningForAnUnknownReason() =>
        Assert.That(QemuRunState.ToDomainState(true, "running"), Is.EqualTo(new DomainStateInfo(DomainState.Running, (int)DomainRunningReason.Unknown)));
}
