using Virt.Qemu.Tests.Qmp;

namespace Virt.Qemu.Tests.Driver;

/// <summary>
/// Waiting for a real QEMU to shut down ends when the token is cancelled, aborted by it, and leaves the domain
/// running. The guest has no OS, so nothing answers the ACPI power button and the one-hour wait could only end
/// by its token: a wait that ignored it would outlast the guard.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class QemuShutdownCancellationTests : QemuRootTest
{
    [Test]
    public void ShutdownAndWaitIsAbortedByItsTokenAndTheDomainKeepsRunning()
    {
        var dom = Conn.DefineDomain(GuestDomains.Bare("deaf"));
        dom.Start();
        using var cts = new CancellationTokenSource();
        cts.CancelAfter(TimeSpan.FromMilliseconds(300));

        var e = QmpCancellationTests.AbortedWithoutWaitingForTheTimeout(() => dom.ShutdownAndWait(TimeSpan.FromHours(1), cancellationToken: cts.Token));

        Assert.Multiple(() =>
        {
            Assert.That(e.Detail, Is.EqualTo("waiting for domain 'deaf' to shut down was cancelled"));
            Assert.That(dom.GetState().State, Is.EqualTo(DomainState.Running));
        });
    }
}
