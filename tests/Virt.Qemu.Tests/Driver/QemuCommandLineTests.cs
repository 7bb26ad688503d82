using System.Text.Json;
using Virt.Conf;
using Virt.Qemu.Driver.Process;

namespace Virt.Qemu.Tests.Driver;

public class QemuCommandLineTests
{
    private static readonly QemuRuntimePaths Paths = new("/r/run/d/qmp.sock", "/r/run/d/qemu.pid", "/r/log/d", Nvram: null);

    [Test]
    public void AMinimalTcgDomainBecomesLibvirtsArgumentsInOrder()
    {
        var def = DomainDefinition.Parse("""
            <domain type='qemu'>
              <name>web</name>
              <uuid>4b3c0a8e-6f0e-4d41-9a55-0f8f7a1d4c43</uuid>
              <memory unit='MiB'>64</memory>
              <vcpu>2</vcpu>
              <os><type arch='x86_64' machine='q35'>hvm</type><kernel>/g/vmlinuz</kernel><initrd>/g/initrd</initrd><cmdline>console=ttyS0 x=1,2</cmdline></os>
              <devices>
                <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/img/a.qcow2'/><target dev='vda' bus='virtio'/><shareable/></disk>
                <interface type='user'><mac address='52:54:00:12:34:56'/><model type='virtio'/></interface>
                <serial type='pty'/>
                <memballoon model='none'/>
              </devices>
            </domain>
            """);

        var command = QemuCommandLine.Build(def, Paths);

        Assert.That(command.Emulator, Is.EqualTo("/usr/bin/qemu-system-x86_64"));
        Assert.That(command.Arguments, Is.EqualTo(new[]
        {
            "-name", "guest=web,debug-threads=on",
            "-uuid", "4b3c0a8e-6f0e-4d41-9a55-0f8f7a1d4c43",
            "-machine", "q35,accel=tcg,usb=off",
            "-m", "size=65536k",
            "-smp", "2,maxcpus=2,sockets=2,dies=1,cores=1,threads=1",
            "-no-user-config", "-nodefaults",
            "-chardev", "socket,id=charmonitor,path=/r/run/d/qmp.sock,server=on,wait=off",
            "-mon", "chardev=charmonitor,id=monitor,mode=control",
            "-rtc", "base=utc",
            "-no-shutdown",
            "-boot", "strict=on",
            "-kernel", "/g/vmlinuz", "-initrd", "/g/initrd", "-append", "console=ttyS0 x=1,2",
            "-blockdev", """{"driver":"file","filename":"/img/a.qcow2","node-name":"libvirt-1-storage","auto-read-only":true,"discard":"unmap"}""",
            "-blockdev", """{"node-name":"libvirt-1-format","read-only":false,"driver":"qcow2","file":"libvirt-1-storage"}""",
            "-device", """{"driver":"virtio-blk-pci","drive":"libvirt-1-format","id":"virtio-disk0","share-rw":true}""",
            "-netdev", """{"type":"user","id":"hostnet0"}""",
            "-device", """{"driver":"virtio-net-pci","netdev":"hostnet0","id":"net0","mac":"52:54:00:12:34:56"}""",
            "-chardev", "pty,id=charserial0,logfile=/r/log/d/serial0.log,logappend=on",
            "-device", """{"driver":"isa-serial","chardev":"charserial0","id":"serial0","index":0}""",
            "-display", "none",
            "-msg", "timestamp=on",
            "-pidfile", "/r/run/d/qemu.pid",
            "-daemonize",
            "-S",
        }));
        Assert.That(command.Disks, Is.EqualTo(new[] { new QemuDiskNodes("vda", "virtio-disk0", "libvirt-1-storage", "libvirt-1-format", "qcow2") }));
    }

    [Test]
    public void UserTextCannotAddOptionsOfItsOwn()
    {
        var def = DomainDefinition.Parse("""
            <domain type='qemu'>
              <name>a,readonly=on</name>
              <memory>65536</memory>
              <os><type>hvm</type></os>
              <devices>
                <disk type='file' device='disk'><source file='/img/x",y.raw'/><target dev='vda' bus='virtio'/></disk>
                <serial type='file'><source path='/tmp/s,append=on'/></serial>
              </devices>
            </domain>
            """);

        var args = QemuCommandLine.Build(def, Paths).Arguments;

        Assert.That(args[args.ToList().IndexOf("-name") + 1], Is.EqualTo("guest=a,,readonly=on,debug-threads=on"));
        string storage = args[args.ToList().IndexOf("-blockdev") + 1];
        Assert.That(JsonDocument.Parse(storage).RootElement.GetProperty("filename").GetString(), Is.EqualTo("/img/x\",y.raw"));
        Assert.That(args, Does.Contain("file,id=charserial0,path=/tmp/s,,append=on"));
    }

    [TestCase("xen", "unsupported configuration: Emulator '/usr/bin/qemu-system-x86_64' does not support virt type 'xen'")]
    [TestCase("test", "unsupported configuration: Emulator '/usr/bin/qemu-system-x86_64' does not support virt type 'test'")]
    public void OnlyQemuAndKvmTypesChooseAnAccelerator(string type, string message)
    {
        var def = DomainDefinition.Parse($"<domain type='{type}'><name>d</name><memory>65536</memory><os><type>hvm</type></os></domain>");

        var ex = Assert.Throws<VirtException>(() => QemuCommandLine.Build(def, Paths));

        Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.ConfigUnsupported));
        Assert.That(ex.Message, Is.EqualTo(message));
    }

    [Test]
    public void KvmAsksForKvmAndNeverFallsBack()
    {
        var def = DomainDefinition.Parse("<domain type='kvm'><name>d</name><memory>65536</memory><os><type>hvm</type></os></domain>");

        Assert.That(QemuCommandLine.Build(def, Paths).Arguments, Does.Contain("pc,accel=kvm,usb=off"));
    }

    [TestCase("<disk type='file' device='cdrom'><source file='/x.iso'/><target dev='vdb' bus='virtio'/></disk>", "unsupported configuration: disk 'vdb': a cdrom cannot use bus 'virtio'")]
    [TestCase("<disk type='file' device='disk'><source file='/x'/><target dev='hda' bus='ide'/></disk>", "unsupported configuration: IDE controllers are unsupported for this QEMU binary or machine type")]
    [TestCase("<disk type='file' device='disk'><source file='/x'/><target dev='sda' bus='usb'/></disk>", "unsupported configuration: disk bus 'usb' of disk 'sda' is not supported")]
    [TestCase("<disk type='file' device='disk'><source file='/x'/><target dev='sda' bus='sata'/><readonly/></disk>", "unsupported configuration: readonly sata disks are not supported")]
    [TestCase("<disk type='file' device='disk'><target dev='vda' bus='virtio'/></disk>", "unsupported configuration: disk 'vda' has no source")]
    [TestCase("<interface type='network'><source network='default'/></interface>", "unsupported configuration: interface type 'network' is not supported without a daemon; use <interface type='user'>")]
    [TestCase("<graphics type='spice'/>", "unsupported configuration: graphics type 'spice' is not supported")]
    public void WhatCannotRunIsRefusedNamingTheElement(string device, string message)
    {
        var def = DomainDefinition.Parse($"<domain type='qemu'><name>d</name><memory>65536</memory><os><type machine='q35'>hvm</type></os><devices>{device}</devices></domain>");

        var ex = Assert.Throws<VirtException>(() => QemuCommandLine.Build(def, Paths));

        Assert.That(ex!.Message, Is.EqualTo(message));
    }

    [Test]
    public void BusesGetLibvirtsAliasesAndControllers()
    {
        var def = DomainDefinition.Parse("""
            <domain type='qemu'>
              <name>d</name>
              <memory>65536</memory>
              <os><type machine='pc'>hvm</type></os>
              <devices>
                <disk type='file' device='disk'><source file='/a'/><target dev='sdb' bus='sata'/></disk>
                <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>
                <disk type='block' device='disk'><driver name='qemu' type='raw' cache='none'/><source dev='/dev/b'/><target dev='sdc' bus='scsi'/></disk>
              </devices>
            </domain>
            """);

        var command = QemuCommandLine.Build(def, Paths);

        Assert.That(command.Disks.Select(d => (d.Target, d.Alias, d.FormatNode)), Is.EqualTo(new[]
        {
            ("sdb", "sata0-0-1", (string?)"libvirt-1-format"),
            ("hdc", "ide0-1-0", null),
            ("sdc", "scsi0-0-0-2", "libvirt-2-format"),
        }));
        var devices = command.Arguments.Where((_, i) => i > 0 && command.Arguments[i - 1] == "-device").ToList();
        Assert.That(devices, Does.Contain("""{"driver":"ahci","id":"sata0"}"""));
        Assert.That(devices, Does.Contain("""{"driver":"ide-cd","bus":"ide.1","unit":0,"id":"ide0-1-0"}"""));
        Assert.That(devices, Does.Contain("""{"driver":"virtio-scsi-pci","id":"scsi0"}"""));
        Assert.That(command.Arguments, Does.Contain(
            """{"driver":"host_device","filename":"/dev/b","node-name":"libvirt-2-storage","auto-read-only":true,"discard":"unmap","cache":{"direct":true,"no-flush":false}}"""));
    }
}
