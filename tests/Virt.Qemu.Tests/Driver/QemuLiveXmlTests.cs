using Virt.Qemu.Images;

namespace Virt.Qemu.Tests.Driver;

/// <summary>The live XML of a running domain carries libvirt 9.0's runtime details (id, aliases, disk indexes and backing
/// chains, the pty of the serial console); the inactive XML does not.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class QemuLiveXmlTests : QemuRootTest
{
    [Test]
    public void TheLiveXmlHasLibvirtsRuntimeDetails()
    {
        string baseImage = Path.Combine(Root, "base.raw");
        File.WriteAllBytes(baseImage, new byte[1 << 20]);
        string top = Path.Combine(Root, "top.qcow2");
        QemuImage.CreateOverlay(top, baseImage, "raw");
        string data = Path.Combine(Root, "data.raw");
        File.WriteAllBytes(data, new byte[1 << 20]);
        var dom = Conn.DefineDomain(GuestDomains.Bare("live", $"""
            <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{top}'/><target dev='vda' bus='virtio'/></disk>
            <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='{data}'/><target dev='vdb' bus='virtio'/></disk>
            <disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='sdb' bus='sata'/><readonly/></disk>
            <interface type='user'><mac address='52:54:00:12:34:56'/><model type='virtio'/></interface>
            <serial type='pty'/>
            <memballoon model='virtio'/>
            """));
        dom.Start();

        string live = dom.GetXmlDescription();
        string pty = System.Text.RegularExpressions.Regex.Match(live, "<source path='(/dev/pts/[0-9]+)'/>").Groups[1].Value;

        Assert.That(live, Does.StartWith($"<domain type='qemu' id='{dom.Id}'>"));
        Assert.That(live, Does.Contain($"""
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2'/>
                  <source file='{top}' index='1'/>
                  <backingStore type='file' index='3'>
                    <format type='raw'/>
                    <source file='{baseImage}'/>
                    <backingStore/>
                  </backingStore>
                  <target dev='vda' bus='virtio'/>
                  <alias name='virtio-disk0'/>
                </disk>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='raw'/>
                  <source file='{data}' index='2'/>
                  <backingStore/>
                  <target dev='vdb' bus='virtio'/>
                  <alias name='virtio-disk1'/>
                </disk>
            """.Replace("\r", "", StringComparison.Ordinal)));
        Assert.That(live, Does.Contain("""
                  <readonly/>
                  <alias name='sata0-0-1'/>
                </disk>
            """));
        Assert.That(live, Does.Contain("""
                  <model type='virtio'/>
                  <alias name='net0'/>
                </interface>
            """));
        Assert.That(pty, Does.StartWith("/dev/pts/"), "the serial's pty is recorded");
        Assert.That(File.Exists(pty), Is.True, "the recorded pty exists");
        Assert.That(live, Does.Contain($"""
                <serial type='pty'>
                  <source path='{pty}'/>
            """));
        Assert.That(live, Does.Contain($"""
                  <alias name='serial0'/>
                </serial>
                <console type='pty' tty='{pty}'>
                  <source path='{pty}'/>
                  <target type='serial' port='0'/>
                  <alias name='serial0'/>
                </console>
            """));
        Assert.That(live, Does.Contain("""
                <memballoon model='virtio'>
                  <alias name='balloon0'/>
                </memballoon>
            """));

        string inactive = dom.GetXmlDescription(DomainXmlFlags.Inactive);
        Assert.That(inactive, Does.Not.Contain("<alias").And.Not.Contain("index=").And.Not.Contain("backingStore").And.Not.Contain("/dev/pts"));
    }
}
