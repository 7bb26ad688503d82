using System.Text.Json;
using Virt.Qemu.Driver;

namespace Virt.Qemu.Tests.Driver;

/// <summary>virConnectGetVersion on qemu:///embed: the host's emulator version, as the running QEMU reports it itself.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class HypervisorVersionTests : QemuRootTest
{
    [Test]
    public void TheVersionIsTheOneTheRunningQemuReportsOverQmp()
    {
        var dom = Conn.DefineDomain("<domain type='qemu'><name>ver</name><memory unit='MiB'>16</memory><os><type arch='x86_64'>hvm</type></os></domain>");
        dom.Start(DomainStartFlags.Paused);
        using var reply = JsonDocument.Parse(dom.MonitorCommand("""{"execute":"query-version"}"""));
        var qemu = reply.RootElement.GetProperty("return").GetProperty("qemu");

        Version version = Conn.GetHypervisorVersion();

        Assert.That(version, Is.EqualTo(new Version(qemu.GetProperty("major").GetInt32(), qemu.GetProperty("minor").GetInt32(), qemu.GetProperty("micro").GetInt32())));
    }

    [Test]
    public void AMissingEmulatorIsLibvirtsInvalidArgument()
    {
        var error = Assert.Throws<VirtException>(() => QemuEmulatorVersion.Of(Path.Combine(Root, "no-such-qemu")))!;

        Assert.That((error.Code, error.Detail), Is.EqualTo((VirtErrorCode.InvalidArg, "unable to find any emulator to serve 'x86_64' architecture")));
    }

    [Test]
    public void AnEmulatorThatPrintsNoVersionIsRefusedWithItsOutput()
    {
        string fake = Script("fake-qemu", "echo 'not a qemu at all'");

        var error = Assert.Throws<VirtException>(() => QemuEmulatorVersion.Of(fake))!;

        Assert.That((error.Code, error.Detail), Is.EqualTo((VirtErrorCode.OperationFailed, $"cannot parse {fake} version number in 'not a qemu at all'")));
    }

    [Test]
    public void AFailingEmulatorIsReportedWithItsExitStatusAndError()
    {
        string fake = Script("failing-qemu", "echo 'cannot open shared object' >&2; exit 127");

        var error = Assert.Throws<VirtException>(() => QemuEmulatorVersion.Of(fake))!;

        Assert.That((error.Code, error.Detail), Is.EqualTo((VirtErrorCode.OperationFailed, $"{fake} --version failed with exit status 127: cannot open shared object")));
    }

    [Test]
    public void AReplacedEmulatorIsAskedAgain()
    {
        string fake = Script("upgraded-qemu", "echo 'QEMU emulator version 7.2.1 (Debian)'");
        Assert.That(QemuEmulatorVersion.Of(fake), Is.EqualTo(new Version(7, 2, 1)));

        string replacement = Script("upgraded-qemu.new", "echo 'QEMU emulator version 8.0.4'; echo 'Copyright (c) 2003-2023'");
        File.Move(replacement, fake, overwrite: true);

        Assert.That(QemuEmulatorVersion.Of(fake), Is.EqualTo(new Version(8, 0, 4)));
    }

    private string Script(string name, string body)
    {
        string path = Path.Combine(Root, name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
