namespace Virt.Qemu.Tests.Driver;

/// <summary>Autostart: a flag file in the root; the first connection opened on the root since the host booted starts the
/// domains that carry it (once per boot), as libvirt's driver does when it starts.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class QemuAutostartTests : QemuRootTest
{
    [Test]
    public void TheFirstOpenAfterABootStartsAutostartDomainsOnce()
    {
        var auto = Conn.DefineDomain(GuestDomains.Bare("auto"));
        auto.SetAutostart(true);
        var manual = Conn.DefineDomain(GuestDomains.Bare("manual"));
        var broken = Conn.DefineDomain(GuestDomains.Bare("broken",
            "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/nonexistent/disk.raw'/><target dev='vda' bus='virtio'/></disk>"));
        broken.SetAutostart(true);
        Assert.That(auto.Autostart, Is.True);
        Assert.That(manual.Autostart, Is.False);

        using (var sameBoot = Open())
        {
            Assert.That(sameBoot.LookupDomainByName("auto").IsActive, Is.False, "the root was already opened in this boot");
        }

        SimulateHostReboot();
        using (var afterBoot = Open())
        {
            Assert.That(afterBoot.LookupDomainByName("auto").GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Running, (int)DomainRunningReason.Booted)));
            Assert.That(afterBoot.LookupDomainByName("manual").IsActive, Is.False);
            Assert.That(afterBoot.LookupDomainByName("broken").IsActive, Is.False, "a domain that cannot start is skipped");
        }

        auto.Destroy();
        using (var again = Open())
        {
            Assert.That(again.LookupDomainByName("auto").IsActive, Is.False, "autostart happens once per boot");
        }
    }

    [Test]
    public void AutostartIsAFileAndIsRefusedForTransientDomains()
    {
        var dom = Conn.DefineDomain(GuestDomains.Bare("flagged"));
        dom.SetAutostart(true);
        Assert.That(File.Exists(Path.Combine(Root, "domains", "flagged", "autostart")), Is.True);
        Assert.That(Conn.ListAllDomains(ListDomainsFlags.Autostart).Select(d => d.Name), Is.EqualTo(new[] { "flagged" }));
        dom.SetAutostart(false);
        Assert.That(File.Exists(Path.Combine(Root, "domains", "flagged", "autostart")), Is.False);
        Assert.That(Conn.ListAllDomains(ListDomainsFlags.NoAutostart).Select(d => d.Name), Is.EqualTo(new[] { "flagged" }));

        dom.Start();
        dom.Undefine();
        var refused = Assert.Throws<VirtException>(() => dom.SetAutostart(true));
        Assert.That((refused!.Code, refused.Message),
            Is.EqualTo((VirtErrorCode.OperationInvalid, "Requested operation is not valid: cannot set autostart for transient domain")));
    }

    private void SimulateHostReboot() => File.WriteAllText(Path.Combine(Root, "run", ".autostart", "autostarted"), "an-earlier-boot");
}
