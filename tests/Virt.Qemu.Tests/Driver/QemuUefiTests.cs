using Virt.Qemu.Images;

namespace Virt.Qemu.Tests.Driver;

/// <summary>UEFI domains with Debian's OVMF: the NVRAM is the domain's own, made from the template on first start.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class QemuUefiTests : QemuRootTest
{
    [Test]
    public void AQcow2NvramIsCreatedFromTheDescriptorsTemplateAndRemovedOnlyWhenAsked()
    {
        var dom = Conn.DefineDomain("""
            <domain type='qemu'>
              <name>uefi</name>
              <memory unit='MiB'>64</memory>
              <os>
                <type arch='x86_64' machine='q35'>hvm</type>
                <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>
                <nvram format='qcow2'/>
              </os>
            </domain>
            """);
        string nvram = Path.Combine(Root, "domains", "uefi", "nvram.qcow2");
        Assert.That(dom.GetXmlDescription(DomainXmlFlags.Inactive), Does.Contain($"<nvram format='qcow2'>{nvram}</nvram>"), "the path is fixed at define, as libvirt does");
        Assert.That(File.Exists(nvram), Is.False);

        dom.Start();

        Assert.That(QemuImage.GetInfo(nvram).Format, Is.EqualTo("qcow2"));
        Assert.That(QemuImage.GetInfo(nvram).VirtualSize, Is.EqualTo(new FileInfo("/usr/share/OVMF/OVMF_VARS_4M.fd").Length));
        Assert.That(File.GetUnixFileMode(nvram), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(dom.MonitorCommand("""{"execute":"query-named-block-nodes","arguments":{"flat":true}}"""), Does.Contain("libvirt-pflash1-format"));
        Assert.That(dom.GetState().State, Is.EqualTo(DomainState.Running));
        dom.Destroy();

        var ex = Assert.Throws<VirtException>(() => dom.Undefine());
        Assert.That(ex!.Message, Is.EqualTo("Requested operation is not valid: cannot undefine domain with nvram"));
        string xml = dom.GetXmlDescription(DomainXmlFlags.Inactive);
        dom.Undefine(DomainUndefineFlags.KeepNvram);
        Assert.That(File.Exists(nvram), Is.True);

        dom = Conn.DefineDomain(xml);
        dom.Undefine(DomainUndefineFlags.Nvram);
        Assert.That(File.Exists(nvram), Is.False);
    }

    [Test]
    public void ALoaderWithoutAKnownTemplateIsRefusedBeforeQemuRuns()
    {
        string code = Path.Combine(Root, "CODE.fd");
        File.Copy("/usr/share/OVMF/OVMF_CODE_4M.fd", code);
        var dom = Conn.DefineDomain($"""
            <domain type='qemu'>
              <name>orphan</name>
              <memory unit='MiB'>64</memory>
              <os><type arch='x86_64' machine='q35'>hvm</type><loader readonly='yes' type='pflash'>{code}</loader><nvram/></os>
            </domain>
            """);

        var ex = Assert.Throws<VirtException>(() => dom.Start());

        Assert.That(ex!.Message, Is.EqualTo($"operation failed: unable to find any master var store for loader: {code}"));
        Assert.That(dom.IsActive, Is.False);
    }
}
