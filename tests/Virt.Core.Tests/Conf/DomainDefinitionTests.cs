using Virt.Conf;

namespace Virt.Core.Tests.Conf;

public sealed class DomainDefinitionTests
{
    [Test]
    public void BuiltInCodeFormatsLikeLibvirt()
    {
        var def = new DomainDefinition
        {
            Type = "kvm",
            Name = "built",
            Uuid = Guid.Parse("12345678-1234-4234-8234-123456789abc"),
            MemoryKiB = 1048576,
            Vcpus = 2,
        };
        def.Os.Arch = "x86_64";
        def.Os.Machine = "q35";
        def.Os.Loader = new DomainLoader { Path = "/usr/share/OVMF/OVMF_CODE_4M.fd", ReadOnly = true, Type = "pflash" };
        def.Os.Nvram = new DomainNvram { Path = "/var/nvram/built.qcow2", Template = "/usr/share/OVMF/OVMF_VARS_4M.fd", Format = "qcow2" };
        def.Os.BootDevices.Add("hd");
        def.Features.Add(new DomainFeature("smm", "on"));
        def.Features.Add(new DomainFeature("acpi"));
        def.Devices.Disks.Add(new DomainDisk { Source = "/img/a.qcow2", DriverName = "qemu", DriverType = "qcow2", TargetDev = "vda", TargetBus = "virtio", Shareable = true });
        def.Devices.Interfaces.Add(new DomainInterface { Type = "user", MacAddress = "52:54:00:AB:CD:EF", ModelType = "virtio" });

        Assert.That(def.ToXml(), Is.EqualTo("""
            <domain type='kvm'>
              <name>built</name>
              <uuid>12345678-1234-4234-8234-123456789abc</uuid>
              <memory unit='KiB'>1048576</memory>
              <currentMemory unit='KiB'>1048576</currentMemory>
              <vcpu placement='static'>2</vcpu>
              <os>
                <type arch='x86_64' machine='q35'>hvm</type>
                <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>
                <nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd' format='qcow2'>/var/nvram/built.qcow2</nvram>
                <boot dev='hd'/>
              </os>
              <features>
                <acpi/>
                <smm state='on'/>
              </features>
              <clock offset='utc'/>
              <on_poweroff>destroy</on_poweroff>
              <on_reboot>restart</on_reboot>
              <on_crash>destroy</on_crash>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2'/>
                  <source file='/img/a.qcow2'/>
                  <target dev='vda' bus='virtio'/>
                  <shareable/>
                </disk>
                <interface type='user'>
                  <mac address='52:54:00:ab:cd:ef'/>
                  <model type='virtio'/>
                </interface>
              </devices>
            </domain>

            """));
    }

    [Test]
    public void ParsedValuesAreExposed()
    {
        var def = DomainDefinition.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Conf", "Corpus", "30-full-guest.xml")));
        Assert.Multiple(() =>
        {
            Assert.That(def.Type, Is.EqualTo("kvm"));
            Assert.That(def.Name, Is.EqualTo("full-guest"));
            Assert.That(def.Uuid, Is.EqualTo(Guid.Parse("00000000-0000-4000-8000-000000000030")));
            Assert.That(def.Title, Is.EqualTo("Everything together"));
            Assert.That(def.MemoryKiB, Is.EqualTo(4UL * 1024 * 1024));
            Assert.That(def.CurrentMemoryKiB, Is.EqualTo(2UL * 1024 * 1024));
            Assert.That(def.Vcpus, Is.EqualTo(4));
            Assert.That(def.CurrentVcpus, Is.EqualTo(2));
            Assert.That(def.Os.Machine, Is.EqualTo("pc-q35-7.2"));
            Assert.That(def.Os.Loader!.ReadOnly, Is.True);
            Assert.That(def.Os.Nvram!.Template, Is.EqualTo("/usr/share/OVMF/OVMF_VARS_4M.fd"));
            Assert.That(def.Features.Select(f => f.Name), Is.EqualTo(new[] { "acpi", "apic", "vmport" }));
            Assert.That(def.Cpu!.Mode, Is.EqualTo("host-passthrough"));
            Assert.That(def.Clock.Timers.Select(t => (t.Name, t.TickPolicy, t.Present)),
                Is.EqualTo(new (string, string?, bool?)[] { ("rtc", "catchup", null), ("pit", "delay", null), ("hpet", null, false) }));
            Assert.That(def.Devices.Disks.Select(d => (d.TargetDev, d.Device, d.ReadOnly, d.BootOrder)),
                Is.EqualTo(new (string, string, bool, int?)[] { ("vda", "disk", false, 1), ("sda", "cdrom", true, 2) }));
            Assert.That(def.Devices.Disks[1].Address!.Type, Is.EqualTo("drive"));
            Assert.That(def.Devices.Interfaces.Single().SourceNetwork, Is.EqualTo("default"));
            Assert.That(def.Devices.Serials.Single().TargetPort, Is.EqualTo(0));
            Assert.That(def.Devices.Consoles.Single().TargetType, Is.EqualTo("serial"));
            Assert.That(def.Devices.Graphics.Single().Type, Is.EqualTo("spice"));
            Assert.That(def.Devices.MemBalloon!.Model, Is.EqualTo("virtio"));
            Assert.That(def.Devices.Videos.Single().ModelType, Is.EqualTo("qxl"));
            Assert.That(def.Devices.Videos.Single().Ram, Is.EqualTo(65536));
            Assert.That(def.Devices.Controllers.Single().Type, Is.EqualTo("sata"));
            Assert.That(def.Devices.HasOtherDevice("input"), Is.True);
            Assert.That(def.Devices.HasOtherDevice("watchdog"), Is.False);
        });
    }

    [TestCase("1", "b", 1UL)]
    [TestCase("1024", "bytes", 1UL)]
    [TestCase("1025", "b", 2UL)]
    [TestCase("1000", "KB", 977UL)]
    [TestCase("2", "k", 2UL)]
    [TestCase("2", "KiB", 2UL)]
    [TestCase("1", "MB", 977UL)]
    [TestCase("1", "M", 1024UL)]
    [TestCase("1", "MiB", 1024UL)]
    [TestCase("1", "GB", 976563UL)]
    [TestCase("1", "G", 1048576UL)]
    [TestCase("1", "GiB", 1048576UL)]
    [TestCase("1", "TB", 976562500UL)]
    [TestCase("1", "T", 1073741824UL)]
    [TestCase("1", "TiB", 1073741824UL)]
    public void MemoryUnitsBecomeKiBRoundedUp(string value, string unit, ulong kib)
    {
        var def = DomainDefinition.Parse($"<domain type='test'><name>u</name><memory unit='{unit}'>{value}</memory><os><type>hvm</type></os></domain>");
        Assert.Multiple(() =>
        {
            Assert.That(def.MemoryKiB, Is.EqualTo(kib));
            Assert.That(def.ToXml(), Does.Contain($"<memory unit='KiB'>{kib}</memory>"));
        });
    }

    [Test]
    public void LiveXmlCarriesIdOnRoot()
    {
        var def = DomainDefinition.Parse("<domain type='test' id='7'><name>x</name><memory>1</memory><os><type>hvm</type></os></domain>");
        Assert.Multiple(() =>
        {
            Assert.That(def.ToXml(), Does.StartWith("<domain type='test'>\n  <name>x</name>"));
            Assert.That(def.ToXml(3), Does.StartWith("<domain type='test' id='3'>\n  <name>x</name>"));
        });
    }

    [Test]
    public void UnknownElementsAndAttributesSurviveInPlace()
    {
        var def = DomainDefinition.Parse("""
            <domain type='kvm'>
              <name>keep</name>
              <memory>1024</memory>
              <os><type arch='x86_64'>hvm</type><bootmenu enable='yes'/></os>
              <devices>
                <watchdog model='i6300esb' action='reset'/>
                <disk type='file' device='disk' snapshot='external'>
                  <driver name='qemu' type='qcow2' discard='unmap'/>
                  <source file='/a.qcow2'/>
                  <target dev='vda' bus='virtio'/>
                  <iotune><total_bytes_sec>1000</total_bytes_sec></iotune>
                </disk>
                <rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>
                <controller type='usb' index='0' model='qemu-xhci'/>
              </devices>
              <seclabel type='none'/>
            </domain>
            """);
        string xml = def.ToXml();
        Assert.That(xml, Is.EqualTo("""
            <domain type='kvm'>
              <name>keep</name>
              <memory unit='KiB'>1024</memory>
              <currentMemory unit='KiB'>1024</currentMemory>
              <vcpu placement='static'>1</vcpu>
              <os>
                <type arch='x86_64'>hvm</type>
                <boot dev='hd'/>
                <bootmenu enable='yes'/>
              </os>
              <clock offset='utc'/>
              <on_poweroff>destroy</on_poweroff>
              <on_reboot>restart</on_reboot>
              <on_crash>destroy</on_crash>
              <devices>
                <disk type='file' device='disk' snapshot='external'>
                  <driver name='qemu' type='qcow2' discard='unmap'/>
                  <source file='/a.qcow2'/>
                  <target dev='vda' bus='virtio'/>
                  <iotune>
                    <total_bytes_sec>1000</total_bytes_sec>
                  </iotune>
                </disk>
                <controller type='usb' index='0' model='qemu-xhci'/>
                <watchdog model='i6300esb' action='reset'/>
                <rng model='virtio'>
                  <backend model='random'>/dev/urandom</backend>
                </rng>
              </devices>
              <seclabel type='none'/>
            </domain>

            """));
        Assert.That(DomainDefinition.Parse(xml).ToXml(), Is.EqualTo(xml));
    }

    [Test]
    public void DirectKernelBootIsModelledAndWrittenInLibvirtsOrder()
    {
        var def = DomainDefinition.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Conf", "Corpus", "43-direct-kernel-boot.xml")));
        Assert.Multiple(() =>
        {
            Assert.That(def.Os.Kernel, Is.EqualTo("/var/lib/virt/guest/vmlinuz"));
            Assert.That(def.Os.Initrd, Is.EqualTo("/var/lib/virt/guest/initramfs.cpio.gz"));
            Assert.That(def.Os.Cmdline, Is.EqualTo("console=ttyS0 virt.marker=/dev/vda:0:hello  quiet"));
        });

        def.Os.Kernel = "/k";
        def.Os.Initrd = null;
        def.Os.Cmdline = "a=b";
        string xml = def.ToXml();
        Assert.That(xml, Does.Contain("    <kernel>/k</kernel>\n    <cmdline>a=b</cmdline>\n    <boot dev='hd'/>"));
        Assert.That(xml, Does.Not.Contain("initrd"));
    }

    [Test]
    public void CloneIsDeepAndIndependent()
    {
        var def = DomainDefinition.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Conf", "Corpus", "30-full-guest.xml")));
        var copy = def.Clone();
        copy.Devices.Disks[0].Source = "/elsewhere.qcow2";
        copy.Name = "other";
        Assert.Multiple(() =>
        {
            Assert.That(def.Devices.Disks[0].Source, Is.EqualTo("/var/lib/virt/images/full.qcow2"));
            Assert.That(def.Name, Is.EqualTo("full-guest"));
            Assert.That(copy.ToXml(), Does.Contain("<source file='/elsewhere.qcow2'/>"));
        });
    }

    [Test]
    public void ChangingListenUpdatesAttributeAndListenElement()
    {
        var def = DomainDefinition.Parse("<domain type='kvm'><name>g</name><memory>1</memory><os><type>hvm</type></os><devices><graphics type='vnc' listen='127.0.0.1'/></devices></domain>");
        def.Devices.Graphics[0].Listen = "0.0.0.0";
        Assert.That(def.ToXml(), Does.Contain("<graphics type='vnc' port='-1' autoport='yes' listen='0.0.0.0'>\n      <listen type='address' address='0.0.0.0'/>\n    </graphics>"));
    }

    [Test]
    public void NamespacedExtensionsKeepTheirDeclaration()
    {
        const string Xml = """
            <domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
              <name>ns</name>
              <memory>1024</memory>
              <os><type>hvm</type></os>
              <qemu:commandline>
                <qemu:arg value='-no-hpet'/>
              </qemu:commandline>
            </domain>
            """;
        string formatted = DomainDefinition.Parse(Xml).ToXml();
        Assert.Multiple(() =>
        {
            Assert.That(formatted, Does.StartWith("<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n"));
            Assert.That(formatted, Does.EndWith("  </devices>\n  <qemu:commandline>\n    <qemu:arg value='-no-hpet'/>\n  </qemu:commandline>\n</domain>\n"));
            Assert.That(DomainDefinition.Parse(formatted).ToXml(), Is.EqualTo(formatted));
        });
    }

    [Test]
    public void CpuTopologyIsModelledWithLibvirtsDefaultDies()
    {
        var def = DomainDefinition.Parse("<domain type='kvm'><name>t</name><memory>1</memory><os><type>hvm</type></os><cpu><topology sockets='2' cores='4' threads='2'/></cpu></domain>");
        Assert.Multiple(() =>
        {
            Assert.That((def.Cpu!.Topology!.Sockets, def.Cpu.Topology.Dies, def.Cpu.Topology.Cores, def.Cpu.Topology.Threads), Is.EqualTo((2, 1, 4, 2)));
            Assert.That(def.ToXml(), Does.Contain("<cpu>\n    <topology sockets='2' dies='1' cores='4' threads='2'/>\n  </cpu>"));
        });
    }

    [Test]
    public void UnknownChildrenAtTheStartKeepTheirOrder()
    {
        var def = DomainDefinition.Parse("<domain type='kvm'><name>c</name><memory>1</memory><os><type>hvm</type></os>"
            + "<clock offset='utc'><first/><second/><timer name='rtc'/><third/></clock></domain>");
        Assert.That(def.ToXml(), Does.Contain("<clock offset='utc'>\n    <first/>\n    <second/>\n    <timer name='rtc'/>\n    <third/>\n  </clock>"));
    }

    [Test]
    public void AddDiskAndAddControllerUseLibvirtsOrder()
    {
        var devices = new DomainDevices();
        devices.AddDisk(new DomainDisk { TargetDev = "vdb", TargetBus = "virtio" });
        devices.AddDisk(new DomainDisk { TargetDev = "sda", TargetBus = "sata" });
        devices.AddDisk(new DomainDisk { TargetDev = "vda", TargetBus = "virtio" });
        devices.AddController(new DomainController { Type = "sata", Index = 1 });
        devices.AddController(new DomainController { Type = "usb", Index = 0 });
        devices.AddController(new DomainController { Type = "sata", Index = 0 });
        Assert.Multiple(() =>
        {
            Assert.That(devices.Disks.Select(d => d.TargetDev), Is.EqualTo(new[] { "vda", "vdb", "sda" }));
            Assert.That(devices.Controllers.Select(c => (c.Type, c.Index)), Is.EqualTo(new[] { ("sata", 0), ("sata", 1), ("usb", 0) }));
        });
    }

    [TestCase("vda", 0)]
    [TestCase("vdz", 25)]
    [TestCase("vdaa", 26)]
    [TestCase("sdb", 1)]
    [TestCase("hdc", 2)]
    [TestCase("xvdd", 3)]
    [TestCase("nvme0", null)]
    [TestCase("vd", null)]
    public void TargetIndexFollowsLibvirt(string dev, int? index) =>
        Assert.That(new DomainDisk { TargetDev = dev }.TargetIndex, Is.EqualTo(index));

    [Test]
    public void ValuesXmlCannotHoldAreRefusedWhenFormatting()
    {
        var def = DomainDefinition.Parse("<domain type='kvm'><name>c</name><memory>1</memory><os><type>hvm</type></os></domain>");
        def.Description = "bell\u0007";
        var ex = Assert.Throws<VirtException>(() => def.ToXml());
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
            Assert.That(ex.Message, Is.EqualTo("invalid argument: a value contains U+0007 at position 4, which XML cannot hold; remove it"));
        });
        def.Description = "emoji \U0001F600 and \uE000 are fine";
        Assert.That(def.ToXml(), Does.Contain("<description>emoji \U0001F600 and \uE000 are fine</description>"));
    }
}
