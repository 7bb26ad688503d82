namespace Virt.Testing.Tests;

/// <summary>The host a fresh test:///default connection sees, compared with what virsh -c test:///default prints (libvirt 9.0).</summary>
public sealed class DefaultHostTests : TestConnectionFixture
{
    private const string VirshDumpxmlTest = """
        <domain type='test' id='1'>
          <name>test</name>
          <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>
          <memory unit='KiB'>8388608</memory>
          <currentMemory unit='KiB'>2097152</currentMemory>
          <vcpu placement='static'>2</vcpu>
          <os>
            <type arch='i686'>hvm</type>
            <boot dev='hd'/>
          </os>
          <clock offset='utc'/>
          <on_poweroff>destroy</on_poweroff>
          <on_reboot>restart</on_reboot>
          <on_crash>destroy</on_crash>
          <devices>
            <disk type='file' device='disk'>
              <source file='/guest/diskimage1'/>
              <target dev='vda' bus='virtio'/>
              <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
            </disk>
            <interface type='network'>
              <mac address='aa:bb:cc:dd:ee:ff'/>
              <source network='default'/>
              <target dev='testnet0'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>
            </interface>
            <memballoon model='virtio'>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
            </memballoon>
          </devices>
        </domain>

        """;

    [Test]
    public void DumpxmlOfTestEqualsVirsh()
    {
        var test = Connection.LookupDomainByName("test");
        Assert.Multiple(() =>
        {
            Assert.That(test.GetXmlDescription(), Is.EqualTo(VirshDumpxmlTest));
            Assert.That(test.GetXmlDescription(DomainXmlFlags.Inactive), Is.EqualTo(VirshDumpxmlTest.Replace(" id='1'", "", StringComparison.Ordinal)));
        });
    }

    [Test]
    public void DominfoOfTestEqualsVirsh()
    {
        var test = Connection.LookupDomainByName("test");
        var info = test.GetInfo();
        Assert.Multiple(() =>
        {
            Assert.That(test.Id, Is.EqualTo(1));
            Assert.That(test.Uuid, Is.EqualTo(Guid.Parse("6695eb01-f6a4-8304-79aa-97f2502e193f")));
            Assert.That(info.State, Is.EqualTo(DomainState.Running));
            Assert.That(info.VirtualCpuCount, Is.EqualTo(2));
            Assert.That(info.MaxMemoryKiB, Is.EqualTo(8388608UL));
            Assert.That(info.MemoryKiB, Is.EqualTo(2097152UL));
            Assert.That(info.CpuTime, Is.GreaterThan(TimeSpan.Zero));
            Assert.That(test.IsPersistent, Is.True);
            Assert.That(test.Autostart, Is.False);
            Assert.That(test.IsActive, Is.True);
            Assert.That(test.IsUpdated, Is.False);
        });
    }

    [Test]
    public void DomstateReasonOfTestIsRunningUnknown() =>
        Assert.That(Connection.LookupDomainByName("test").GetState(),
            Is.EqualTo(new DomainStateInfo(DomainState.Running, (int)DomainRunningReason.Unknown)));

    [Test]
    public void ListAllShowsOnlyTest()
    {
        var all = Connection.ListAllDomains();
        Assert.That(all.Select(d => (d.Name, d.Id)), Is.EqualTo(new[] { ("test", (int?)1) }));
    }

    [Test]
    public void ConnectionFacts()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Connection.HypervisorType, Is.EqualTo("TEST"));
            Assert.That(Connection.GetHypervisorVersion(), Is.EqualTo(new Version(0, 0, 2)));
            Assert.That(Connection.Uri, Is.EqualTo("test:///default"));
            Assert.That(Connection.IsAlive, Is.True);
            Assert.That(Connection.GetHostname(), Is.EqualTo(Environment.MachineName));
        });
    }

    [Test]
    public void OtherTestUrisAreRefused()
    {
        var ex = Fails(() => VirtConnection.Open("test:///tmp/host.xml", new VirtConnectionOptions { Registry = Registry }));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.NoConnect));
            Assert.That(ex.Message, Is.EqualTo("no connection driver available: for test:///tmp/host.xml: the test driver only provides test:///default"));
        });
    }

    [Test]
    public void OpenConnectionsShareOneHost()
    {
        using var second = VirtConnection.Open(TestDriver.DefaultUri, new VirtConnectionOptions { Registry = Registry });
        Connection.DefineDomain(MinimalXml);
        second.LookupDomainByName("m").Start();
        Assert.Multiple(() =>
        {
            Assert.That(Connection.LookupDomainByName("m").GetState().State, Is.EqualTo(DomainState.Running));
            Assert.That(Connection.LookupDomainByName("m").Id, Is.EqualTo(2));
        });
    }

    [Test]
    public void HostIsFreshAfterTheLastConnectionCloses()
    {
        Connection.DefineDomain(MinimalXml);
        Connection.LookupDomainByName("test").Destroy();
        Connection.Dispose();

        using var again = VirtConnection.Open(TestDriver.DefaultUri, new VirtConnectionOptions { Registry = Registry });
        Assert.Multiple(() =>
        {
            Assert.That(again.ListAllDomains().Select(d => d.Name), Is.EqualTo(new[] { "test" }));
            Assert.That(again.LookupDomainByName("test").GetState().State, Is.EqualTo(DomainState.Running));
        });
    }

    [Test]
    public void ClosedConnectionRefusesCalls()
    {
        Connection.Dispose();
        Assert.Multiple(() =>
        {
            Assert.That(Connection.IsAlive, Is.False);
            Assert.Throws<ObjectDisposedException>(() => Connection.ListAllDomains());
        });
    }
}
