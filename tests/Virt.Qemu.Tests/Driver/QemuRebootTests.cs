namespace Virt.Qemu.Tests.Driver;

/// <summary>Reboot as libvirt's QEMU driver does it: the ACPI power button, then, once the guest has powered off, a reset
/// and resume of the same QEMU (a fake reboot); with the tiny guest, whose init powers off on the button.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class QemuRebootTests : QemuRootTest
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(3);

    [Test]
    public void RebootPowersTheGuestOffAndBootsItAgainInTheSameQemu()
    {
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Conn.DomainLifecycle += (_, e) => seen.Enqueue($"{e.Type} {e.Detail}");
        var dom = Conn.DefineDomain(GuestDomains.Guest("rebooted", "virt.interval=200"));
        dom.Start();
        int pid = QemuPid("rebooted");
        using var console = new ConsoleReader(dom.OpenConsole());
        console.WaitFor("VIRT-GUEST COUNTER 2", BootTimeout);

        dom.Reboot();

        // The watcher (the connection has a subscriber) resets the guest once it has powered off: no call is needed.
        console.WaitFor("VIRT-GUEST POWEROFF", BootTimeout);
        WaitForSecondBoot(console);
        Assert.That(dom.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Running, (int)DomainRunningReason.Booted)));
        Assert.That(QemuPid("rebooted"), Is.EqualTo(pid), "the same QEMU runs on");
        Assert.That(seen, Does.Contain($"{DomainEventType.Resumed} {(int)DomainEventResumedDetail.Unpaused}"));
    }

    [Test]
    public void WithoutSubscribersTheNextCallFinishesTheReboot()
    {
        var dom = Conn.DefineDomain(GuestDomains.Guest("polled", "virt.interval=200"));
        dom.Start();
        using var console = new ConsoleReader(dom.OpenConsole());
        console.WaitFor("VIRT-GUEST COUNTER 2", BootTimeout);

        dom.Reboot();
        console.WaitFor("VIRT-GUEST POWEROFF", BootTimeout);

        // Once the guest is off QEMU waits in 'shutdown'; a call that asks QEMU its state resets it.
        WaitForSecondBoot(console, () => Assert.That(dom.GetState().State, Is.EqualTo(DomainState.Running)));
        Assert.That(dom.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Running, (int)DomainRunningReason.Booted)));
    }

    [Test]
    public void RebootWithOnRebootDestroyShutsTheGuestDown()
    {
        string xml = GuestDomains.Guest("once", "virt.interval=200").Replace("</devices>", "</devices>\n  <on_reboot>destroy</on_reboot>", StringComparison.Ordinal);
        var dom = Conn.DefineDomain(xml);
        dom.Start();
        using var console = new ConsoleReader(dom.OpenConsole());
        console.WaitFor("VIRT-GUEST COUNTER 2", BootTimeout);

        dom.Reboot();
        console.WaitFor("VIRT-GUEST POWEROFF", BootTimeout);

        long deadline = Environment.TickCount64 + 60_000;
        while (dom.GetState().State != DomainState.Shutoff && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(100);
        }

        Assert.That(dom.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Shutoff, (int)DomainShutoffReason.Shutdown)));
        Assert.That(console.Text[console.Text.IndexOf("VIRT-GUEST POWEROFF", StringComparison.Ordinal)..], Does.Not.Contain("VIRT-GUEST READY"), "the guest did not boot again");
    }

    [Test]
    public void RebootErrorsAreLibvirts()
    {
        var dom = Conn.DefineDomain(GuestDomains.Bare("off"));
        var off = Assert.Throws<VirtException>(() => dom.Reboot());
        Assert.That((off!.Code, off.Message), Is.EqualTo((VirtErrorCode.OperationInvalid, "Requested operation is not valid: domain is not running")));

        dom.Start();
        var agent = Assert.Throws<VirtException>(() => dom.Reboot(DomainRebootFlags.GuestAgent));
        Assert.That((agent!.Code, agent.Message), Is.EqualTo((VirtErrorCode.ArgumentUnsupported, "argument unsupported: QEMU guest agent is not configured")));
        var initctl = Assert.Throws<VirtException>(() => dom.Reboot(DomainRebootFlags.Initctl));
        Assert.That(initctl!.Message, Is.EqualTo("unsupported flags (0x4) in function qemuDomainReboot"));
    }

    private static void WaitForSecondBoot(ConsoleReader console, Action? poll = null)
    {
        long deadline = Environment.TickCount64 + (long)BootTimeout.TotalMilliseconds;
        while (console.Text.Split("VIRT-GUEST READY").Length < 2 || !console.Text[console.Text.LastIndexOf("VIRT-GUEST POWEROFF", StringComparison.Ordinal)..].Contains("VIRT-GUEST COUNTER 1", StringComparison.Ordinal))
        {
            Assert.That(Environment.TickCount64, Is.LessThan(deadline), "the guest did not boot again; the console showed:\n" + console.Text);
            poll?.Invoke();
            Thread.Sleep(100);
        }
    }

    private int QemuPid(string name) =>
        int.Parse(File.ReadAllText(Path.Combine(Root, "run", name, "qemu.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
