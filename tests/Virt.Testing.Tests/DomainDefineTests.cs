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
            Assert.That(Fails(() => Connection.ListAllDomains((ListDomainsFlags)256)).Message,
                Is.EqualTo("unsupported flags (0x100) in function ListAllDomains"));
        });
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

    [Test]
    public void ListFiltersOnAutostartAndRefusesManagedSaveAndCheckpoints()
    {
        Connection.DefineDomain(MinimalXml);
        string[] Names(ListDomainsFlags f) => Connection.ListAllDomains(f).Select(d => d.Name).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(Names(ListDomainsFlags.NoAutostart), Is.EqualTo(new[] { "test", "m" }));
            Assert.That(Names(ListDomainsFlags.Autostart), Is.Empty);
            Assert.That(Fails(() => Connection.ListAllDomains(ListDomainsFlags.NoCheckpoint)).Message,
                Is.EqualTo("unsupported flags (0x8000) in function ListAllDomains"));
        });
    }

    [Test]
    public void UndefineRefusesToBothKeepAndDeleteNvram()
    {
        var m = Connection.DefineDomain(MinimalXml);
        var ex = Fails(() => m.Undefine(DomainUndefineFlags.Nvram | DomainUndefineFlags.KeepNvram));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.OperationInvalid));
            Assert.That(ex.Message, Is.EqualTo("Requested operation is not valid: cannot both keep and delete nvram"));
            Assert.That(m.IsPersistent, Is.True);
        });
    }

    [Test]
    public void ZeroMemoryIsNeitherDefinedNorStarted()
    {
        // virsh -c test:///default define: "XML error: Memory size must be specified via <memory> or in the <numa> configuration".
        var ex = Fails(() => Connection.DefineDomain(MinimalXml.Replace("<memory>1024</memory>", "<memory>0</memory>", StringComparison.Ordinal)));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.XmlError));
            Assert.That(ex.Message, Does.StartWith("XML error: Memory size must be specified via <memory> or in the <numa> configuration"));
            Assert.That(Connection.ListAllDomains().Select(d => d.Name), Is.EqualTo(new[] { "test" }));
        });
    }
}
