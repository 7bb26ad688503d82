using System.Text;

namespace Virt.Qemu.Tests.Driver;

/// <summary>libvirt's virDomainOpenConsole on real QEMU: the guest's serial console as a stream, the pty recorded in
/// the live XML, one session at a time (taken over with Force), and libvirt's errors.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class QemuConsoleTests : QemuRootTest
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(3);

    [Test]
    public void TheConsoleStreamShowsWhatTheGuestPrints()
    {
        var dom = Conn.DefineDomain(GuestDomains.Guest("counter", "virt.interval=200"));
        dom.Start();

        using var console = new ConsoleReader(dom.OpenConsole());

        console.WaitFor("VIRT-GUEST COUNTER", BootTimeout);
        Assert.That(console.Text, Does.Match(@"VIRT-GUEST COUNTER \d+\r?\n"));
    }

    [Test]
    public void WhatIsWrittenToTheConsoleIsTheGuestsInput()
    {
        var dom = Conn.DefineDomain(GuestDomains.Guest("shell", "virt.shell=1"));
        dom.Start();
        using var stream = dom.OpenConsole();
        using var console = new ConsoleReader(stream);

        // The shell's answer (42), not the echo of the command typed, proves the guest ran it.
        console.WaitFor("answer=42", BootTimeout, () => stream.Write(Encoding.ASCII.GetBytes("echo answer=$((6*7))\n")));
    }

    [Test]
    public void ASecondSessionIsRefusedUntilForcedAndForcingEndsTheFirst()
    {
        var dom = Conn.DefineDomain(GuestDomains.Bare("busy", "<serial type='pty'/>"));
        dom.Start();
        using var first = new ConsoleReader(dom.OpenConsole());

        var refused = Assert.Throws<VirtException>(() => dom.OpenConsole());
        Assert.That(refused!.Code, Is.EqualTo(VirtErrorCode.OperationFailed));
        Assert.That(refused.Message, Is.EqualTo("operation failed: Active console session exists for this domain"));

        using (var other = Open())
        using (var forced = other.LookupDomainByName("busy").OpenConsole(flags: DomainConsoleFlags.Force))
        {
            Assert.That(first.WaitForEnd(TimeSpan.FromSeconds(10)), Is.True, "the forced-out session ends");
            Assert.That(first.Ended, Is.True);
        }

        // The forced session is closed: the console is free again.
        using var again = dom.OpenConsole();
        Assert.That(again.CanRead, Is.True);
    }

    [Test]
    public void TheStreamEndsWhenTheDomainStops()
    {
        var dom = Conn.DefineDomain(GuestDomains.Bare("stops", "<serial type='pty'/>"));
        dom.Start();
        using var console = new ConsoleReader(dom.OpenConsole());

        dom.Destroy();

        Assert.That(console.WaitForEnd(TimeSpan.FromSeconds(10)), Is.True);
    }

    [Test]
    public void ConsoleErrorsAreLibvirts()
    {
        var off = Conn.DefineDomain(GuestDomains.Bare("off", "<serial type='pty'/>"));
        var notRunning = Assert.Throws<VirtException>(() => off.OpenConsole());
        Assert.That((notRunning!.Code, notRunning.Message), Is.EqualTo((VirtErrorCode.OperationInvalid, "Requested operation is not valid: domain is not running")));

        var none = Conn.DefineDomain(GuestDomains.Bare("none"));
        none.Start();
        var noDevice = Assert.Throws<VirtException>(() => none.OpenConsole());
        Assert.That((noDevice!.Code, noDevice.Message), Is.EqualTo((VirtErrorCode.InternalError, "internal error: cannot find character device <null>")));

        string log = Path.Combine(Root, "serial.txt");
        var file = Conn.DefineDomain(GuestDomains.Bare("file", $"<serial type='file'><source path='{log}'/></serial>"));
        file.Start();
        var notPty = Assert.Throws<VirtException>(() => file.OpenConsole());
        Assert.That((notPty!.Code, notPty.Message), Is.EqualTo((VirtErrorCode.InternalError, "internal error: character device serial0 is not using a PTY")));

        var unknown = Assert.Throws<VirtException>(() => file.OpenConsole("serial7"));
        Assert.That(unknown!.Message, Is.EqualTo("internal error: cannot find character device serial7"));

        var flags = Assert.Throws<VirtException>(() => file.OpenConsole(flags: (DomainConsoleFlags)4));
        Assert.That(flags!.Message, Is.EqualTo("unsupported flags (0x4) in function qemuDomainOpenConsole"));
    }

    [Test]
    public void TheConsoleIsFoundByItsAlias()
    {
        var dom = Conn.DefineDomain(GuestDomains.Bare("alias", "<serial type='file'><source path='" + Path.Combine(Root, "s0.txt") + "'/></serial><serial type='pty'/>"));
        dom.Start();

        using var second = dom.OpenConsole("serial1");

        Assert.That(second.CanWrite, Is.True);
    }
}
