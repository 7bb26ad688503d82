using Microsoft.Extensions.Logging.Abstractions;
using Virt.Drivers;
using Virt.Qemu.Driver;
using Virt.Qemu.Driver.State;

namespace Virt.Qemu.Tests.Driver;

/// <summary>A cancelled start is aborted with libvirt's code, as every other cancelled wait here is, and leaves the
/// domain off: no QEMU left running, no runtime folder, and a start without the token works afterwards.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class QemuStartCancellationTests : QemuRootTest
{
    [Test]
    public void AStartCancelledBeforeItBeganIsAbortedAndTheDomainStaysOff()
    {
        var dom = Conn.DefineDomain(GuestDomains.Bare("early"));
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var e = Assert.Throws<VirtException>(() => dom.Start(cancellationToken: cts.Token))!;

        AssertAbortedAndOff(e, dom);
    }

    [Test]
    public void AStartCancelledWhileQemuStartsUpIsAbortedAndQemuEnded()
    {
        var dom = Conn.DefineDomain(GuestDomains.Bare("late"));
        using var cts = new CancellationTokenSource();
        // Cancelled once QEMU is spawned and recorded, before its monitor socket exists (it takes QEMU milliseconds).
        var driver = new QemuDomainDriver(StateRoot.Embed(Root), NullLoggerFactory.Instance)
        {
            Step = step =>
            {
                if (step == "start:pid-recorded")
                {
                    cts.Cancel();
                }
            },
        };

        var e = Assert.Throws<VirtException>(() => driver.StartDomain(new DomainIdentity(dom.Name, dom.Uuid), DomainStartFlags.None, cts.Token))!;

        AssertAbortedAndOff(e, dom);
        Assert.That(e.InnerException, Is.InstanceOf<OperationCanceledException>());
    }

    private void AssertAbortedAndOff(VirtException e, IVirtDomain dom)
    {
        Assert.Multiple(() =>
        {
            Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationAborted));
            Assert.That(e.Detail, Is.EqualTo($"start of domain '{dom.Name}' was cancelled"));
            Assert.That(dom.GetState().State, Is.EqualTo(DomainState.Shutoff));
            Assert.That(Directory.Exists(StateRoot.Embed(Root).RunFolder(dom.Name)), Is.False, "no runtime folder");
            Assert.That(QemuKill.Running(dom.Uuid.ToString("D")), Is.Empty, "no QEMU left");
        });
        dom.Start();
        Assert.That(dom.GetState().State, Is.EqualTo(DomainState.Running), "a start without the token works");
        Assert.That(QemuKill.Running(dom.Uuid.ToString("D")), Has.Count.EqualTo(1), "the probe for a left QEMU finds a running one");
        dom.Destroy();
    }
}
