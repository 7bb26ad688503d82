using System.Text.RegularExpressions;

namespace Virt.Testing.Tests;

/// <summary>Define, redefine, undefine and lookups, with libvirt 9.0 test driver messages.</summary>
public sealed class DomainDefineTests : TestConnectionFixture
{
    private const string TestUuid = "6695eb01-f6a4-8304-79aa-97f2502e193f";

    [Test]
    public void SameNameOtherUuidIsRefused()
    {
        var ex = Fails(() => Connection.DefineDomain(
            "<domain type='test'><name>test</name><uuid>11111111-2222-3333-4444-555555555555</uuid><memory>1024</memory><os><type>hvm</type></os></domain>"));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.OperationFailed));
            Assert.That(ex.Message, Is.EqualTo($"operation failed: domain 'test' already exists with uuid {TestUuid}"));
        });
    }

    [Test]
    public void SameNameWithoutUuidIsRefusedLikeVirsh() =>
        Assert.That(Fails(() => Connection.DefineDomain("<domain type='test'><name>test</name><memory>4096</memory><os><type>hvm</type></os></domain>")).Message,
            Is.EqualTo($"operation failed: domain 'test' already exists with uuid {TestUuid}"));

    [Test]
    public void SameUuidOtherNameIsRefused()
    {
        var ex = Fails(() => Connection.DefineDomain(
            $"<domain type='test'><name>other</name><uuid>{TestUuid}</uuid><memory>1024</memory><os><type>hvm</type></os></domain>"));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.OperationFailed));
            Assert.That(ex.Message, Is.EqualTo($"operation failed: domain 'test' is already defined with uuid {TestUuid}"));
        });
    }

    [Test]
    public void BadXmlIsXmlError()
    {
        var ex = Fails(() => Connection.DefineDomain("<domain type='test'><memory>1024</memory><os><type>hvm</type></os></domain>"));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.XmlError));
            Assert.That(ex.Message, Does.StartWith("XML error: missing name information"));
        });
    }

    [Test]
    public void RedefiningRunningDomainChangesOnlyThePersistentDefinition()
    {
        var test = Connection.LookupDomainByName("test");
        string inactive = test.GetXmlDescription(DomainXmlFlags.Inactive);
        Connection.DefineDomain(inactive.Replace("8388608", "4194304", StringComparison.Ordinal));

        Assert.Multiple(() =>
        {
            Assert.That(test.GetInfo().MaxMemoryKiB, Is.EqualTo(8388608UL));
            Assert.That(test.GetXmlDescription(), Does.Contain("<memory unit='KiB'>8388608</memory>"));
            Assert.That(test.GetXmlDescription(DomainXmlFlags.Inactive), Does.Contain("<memory unit='KiB'>4194304</memory>"));
            Assert.That(test.IsUpdated, Is.True);
            Assert.That(test.GetState().State, Is.EqualTo(DomainState.Running));
        });

        test.Destroy();
        Assert.Multiple(() =>
        {
            Assert.That(test.GetXmlDescription(), Does.Contain("<memory unit='KiB'>4194304</memory>"));
            Assert.That(test.IsUpdated, Is.False);
        });
    }

    [Test]
    public void RedefiningInactiveDomainReplacesIt()
    {
        var m = Connection.DefineDomain(MinimalXml);
        string xml = m.GetXmlDescription().Replace("<memory unit='KiB'>1024</memory>", "<memory unit='MiB'>2</memory>", StringComparison.Ordinal);
        var again = Connection.DefineDomain(xml);
        Assert.Multiple(() =>
        {
            Assert.That(again.Uuid, Is.EqualTo(m.Uuid));
            Assert.That(m.GetInfo().MaxMemoryKiB, Is.EqualTo(2048UL));
            Assert.That(Connection.ListAllDomains().Count, Is.EqualTo(2));
        });
    }

    [Test]
    public void UndefiningRunningDomainMakesItTransientThenDestroyRemovesIt()
    {
        var test = Connection.LookupDomainByName("test");
        test.Undefine();
        Assert.Multiple(() =>
        {
            Assert.That(test.IsPersistent, Is.False);
            Assert.That(test.GetState().State, Is.EqualTo(DomainState.Running));
            Assert.That(Connection.ListAllDomains(ListDomainsFlags.Transient).Select(d => d.Name), Is.EqualTo(new[] { "test" }));
            Assert.That(Connection.ListAllDomains(ListDomainsFlags.Persistent), Is.Empty);
        });

        test.Undefine();
        Assert.That(test.GetState().State, Is.EqualTo(DomainState.Running), "undefining a transient domain again is a no-op, as in libvirt 9.0");

        test.Destroy();
        var gone = Fails(() => Connection.LookupDomainByName("test"));
        Assert.Multiple(() =>
        {
            Assert.That(gone.Code, Is.EqualTo(VirtErrorCode.NoDomain));
            Assert.That(gone.Message, Is.EqualTo("Domain not found: no domain with matching name 'test'"));
            Assert.That(Connection.ListAllDomains(), Is.Empty);
        });
    }

    [Test]
    public void UndefiningInactiveDomainRemovesIt()
    {
        var m = Connection.DefineDomain(MinimalXml);
        m.Undefine(DomainUndefineFlags.Nvram);
        Assert.That(Connection.ListAllDomains().Select(d => d.Name), Is.EqualTo(new[] { "test" }));
        var stale = Fails(() => m.GetState());
        Assert.Multiple(() =>
        {
            Assert.That(stale.Code, Is.EqualTo(VirtErrorCode.NoDomain));
            Assert.That(stale.Message, Is.EqualTo($"Domain not found: no domain with matching uuid '{m.Uuid:D}' (m)"));
        });
    }

    [Test]
    public void LookupsByUuidAndId()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Connection.LookupDomainByUuid(Guid.Parse(TestUuid)).Name, Is.EqualTo("test"));
            Assert.That(Connection.LookupDomainById(1).Name, Is.EqualTo("test"));
            Assert.That(Fails(() => Connection.LookupDomainById(42)).Message, Is.EqualTo("Domain not found: no domain with matching id 42"));
            Assert.That(Fails(() => Connection.LookupDomainByUuid(Guid.Parse("6695eb01-f6a4-8304-79aa-97f2502e1930"))).Message,
                Is.EqualTo("Domain not found: no domain with matching uuid '6695eb01-f6a4-8304-79aa-97f2502e1930'"));
            Assert.That(Fails(() => Connection.LookupDomainByName("foo")).Code, Is.EqualTo(VirtErrorCode.NoDomain));
        });
    }

    [Test]
    public void ListFiltersCombineLikeLibvirt()
    {
        Connection.DefineDomain(MinimalXml);
        Connection.DefineDomain(MinimalXml.Replace("<name>m</name>", "<name>p</name>", StringComparison.Ordinal)).Start(DomainStartFlags.Paused);
        Connection.DefineDomain(MinimalXml.Replace("<name>m</name>", "<name>a</name>", StringComparison.Ordinal));

        string[] Names(ListDomainsFlags f) => Connection.ListAllDomains(f).Select(d => d.Name).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(Names(ListDomainsFlags.None), Is.EqualTo(new[] { "test", "p", "a", "m" }));
            Assert.That(Names(ListDomainsFlags.Active), Is.EqualTo(new[] { "test", "p" }));
            Assert.That(Names(ListDomainsFlags.Inactive), Is.EqualTo(new[] { "a", "m" }));
            Assert.That(Names(ListDomainsFlags.Running), Is.EqualTo(new[] { "test" }));
            Assert.That(Names(ListDomainsFlags.Paused), Is.EqualTo(new[] { "p" }));
            Assert.That(Names(ListDomainsFlags.Running | ListDomainsFlags.Shutoff), Is.EqualTo(new[] { "test", "a", "m" }));
            Assert.That(Names(ListDomainsFlags.Active | ListDomainsFlags.Paused), Is.EqualTo(new[] { "p" }));
            Assert.That(Names(ListDomainsFlags.Other), Is.Empty);
            Assert.That(Names(ListDomainsFlags.Persistent | ListDomainsFlags.Inactive), Is.EqualTo(new[] { "a", "m" }));
            Assert.That(Names(ListDomainsFlags.NoSnapshot), Is.EqualTo(new[] { "test", "p", "a", "m" }));
            Assert.That(Names(ListDomainsFlags.HasSnapshot), Is.Empty);
        });
    }

    /// <summary>virsh -c test:///default define + dumpxml --inactive of the same input (libvirt 9.0), with the generated UUID and MACs masked.</summary>
    [Test]
    public void DefineAddsWhatLibvirtsTestDriverAdds()
    {
        const string input = """
            <domain type='test'>
              <name>p</name>
              <memory>1024</memory>
              <os><type>hvm</type></os>
              <devices>
                <disk type='file' device='disk'><source file='/a'/><target dev='hdb'/></disk>
                <disk type='file' device='disk'><source file='/a'/><target dev='hdd' bus='ide'/></disk>
                <disk type='file' device='disk'><source file='/a'/><target dev='sdc' bus='sata'/></disk>
                <disk type='file' device='disk'><source file='/a'/><target dev='sdh' bus='sata'/></disk>
                <disk type='file' device='disk'><source file='/a'/><target dev='sdi' bus='scsi'/></disk>
                <disk type='file' device='floppy'><source file='/f'/><target dev='fda'/></disk>
                <disk type='file' device='disk'><source file='/u'/><target dev='sdz' bus='usb'/></disk>
                <interface type='user'/>
                <interface type='network'><source network='default'/><target dev='testnet0'/></interface>
                <graphics type='spice'/>
                <serial type='pty'/>
                <serial type='pty'/>
              </devices>
            </domain>
            """;
        const string virsh = """
            <domain type='test'>
              <name>p</name>
              <uuid>UUID</uuid>
              <memory unit='KiB'>1024</memory>
              <currentMemory unit='KiB'>1024</currentMemory>
              <vcpu placement='static'>1</vcpu>
              <os>
                <type arch='i686'>hvm</type>
                <boot dev='hd'/>
              </os>
              <clock offset='utc'/>
              <on_poweroff>destroy</on_poweroff>
              <on_reboot>restart</on_reboot>
              <on_crash>destroy</on_crash>
              <devices>
                <disk type='file' device='floppy'>
                  <source file='/f'/>
                  <target dev='fda' bus='fdc'/>
                  <address type='drive' controller='0' bus='0' target='0' unit='0'/>
                </disk>
                <disk type='file' device='disk'>
                  <source file='/a'/>
                  <target dev='hdb' bus='ide'/>
                  <address type='drive' controller='0' bus='0' target='0' unit='1'/>
                </disk>
                <disk type='file' device='disk'>
                  <source file='/a'/>
                  <target dev='hdd' bus='ide'/>
                  <address type='drive' controller='0' bus='1' target='0' unit='1'/>
                </disk>
                <disk type='file' device='disk'>
                  <source file='/a'/>
                  <target dev='sdc' bus='sata'/>
                  <address type='drive' controller='0' bus='0' target='0' unit='2'/>
                </disk>
                <disk type='file' device='disk'>
                  <source file='/a'/>
                  <target dev='sdh' bus='sata'/>
                  <address type='drive' controller='1' bus='0' target='0' unit='1'/>
                </disk>
                <disk type='file' device='disk'>
                  <source file='/a'/>
                  <target dev='sdi' bus='scsi'/>
                  <address type='drive' controller='1' bus='0' target='0' unit='1'/>
                </disk>
                <disk type='file' device='disk'>
                  <source file='/u'/>
                  <target dev='sdz' bus='usb'/>
                </disk>
                <controller type='scsi' index='0'/>
                <controller type='scsi' index='1'/>
                <controller type='fdc' index='0'/>
                <controller type='ide' index='0'/>
                <controller type='sata' index='0'/>
                <controller type='sata' index='1'/>
                <interface type='user'>
                  <mac address='MAC'/>
                  <target dev='testnet1'/>
                </interface>
                <interface type='network'>
                  <mac address='MAC'/>
                  <source network='default'/>
                  <target dev='testnet0'/>
                </interface>
                <serial type='pty'>
                  <target port='0'/>
                </serial>
                <serial type='pty'>
                  <target port='1'/>
                </serial>
                <console type='pty'>
                  <target type='serial' port='0'/>
                </console>
                <graphics type='spice'>
                  <listen type='none'/>
                </graphics>
                <video>
                  <model type='cirrus' vram='16384' heads='1' primary='yes'/>
                </video>
              </devices>
            </domain>

            """;

        string ours = Connection.DefineDomain(input).GetXmlDescription(DomainXmlFlags.Inactive);
        string masked = Regex.Replace(ours, "<uuid>[0-9a-f-]{36}</uuid>", "<uuid>UUID</uuid>");
        masked = Regex.Replace(masked, "52:54:00(:[0-9a-f]{2}){3}", "MAC");
        Assert.That(masked, Is.EqualTo(virsh));
    }

    [Test]
    public void DefineDropsHostGeneratedInterfaceNamesAndAddsQxlRam()
    {
        string xml = Connection.DefineDomain("""
            <domain type='test'>
              <name>o</name>
              <uuid>11111111-2222-3333-4444-555555555556</uuid>
              <memory>1024</memory>
              <os><type arch='x86_64'>hvm</type></os>
              <devices>
                <interface type='network'><model type='virtio'/><source network='default'/><target dev='vnet7'/><mac address='52:54:00:00:00:01'/></interface>
                <graphics type='vnc' port='5901' autoport='no' listen='0.0.0.0'/>
                <video><model type='qxl' vram='65536' heads='1' primary='yes'/></video>
              </devices>
            </domain>
            """).GetXmlDescription();
        Assert.Multiple(() =>
        {
            Assert.That(xml, Does.Contain("""
                    <interface type='network'>
                      <mac address='52:54:00:00:00:01'/>
                      <source network='default'/>
                      <target dev='testnet0'/>
                      <model type='virtio'/>
                    </interface>
                """.Replace("\r", "", StringComparison.Ordinal)));
            Assert.That(xml, Does.Contain("<graphics type='vnc' port='5901' autoport='no' listen='0.0.0.0'>\n      <listen type='address' address='0.0.0.0'/>\n    </graphics>"));
            Assert.That(xml, Does.Contain("<model type='qxl' ram='65536' vram='65536' heads='1' primary='yes'/>"));
        });
    }
}
