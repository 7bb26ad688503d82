using Virt.Conf;
using Virt.Drivers;

namespace Virt.Testing;

/// <summary>
/// The state of one in-memory host: its domains and the next domain id. One lock guards everything;
/// every operation takes it for its whole duration. The default host is shared by all open
/// connections and dropped when the last one closes, like libvirt's <c>test:///default</c>.
/// </summary>
internal sealed class TestHost
{
    private static readonly Lock DefaultLock = new();
    private static TestHost? _default;
    private static int _defaultReferences;

    private readonly List<TestDomain> _domains = [];
    private readonly List<TestDomainDriver> _connections = [];

    private TestHost()
    {
    }

    public Lock Lock { get; } = new();

    public int NextId { get; set; } = 1;

    public IReadOnlyList<TestDomain> Domains => _domains;

    /// <summary>Creates a host in the state libvirt's test driver starts in: one running domain, <c>test</c>.</summary>
    public static TestHost CreateDefault()
    {
        var host = new TestHost();
        var domain = new TestDomain(DomainDefinition.Parse(DefaultDomainXml))
        {
            Id = host.NextId++,
        };
        domain.Live = domain.Persistent!.Clone();
        domain.SetState(DomainState.Running, (int)DomainRunningReason.Unknown);
        host._domains.Add(domain);
        return host;
    }

    /// <summary>The shared default host, created on first use; pair every call with <see cref="ReleaseDefault"/>.</summary>
    public static TestHost AcquireDefault()
    {
        lock (DefaultLock)
        {
            _default ??= CreateDefault();
            _defaultReferences++;
            return _default;
        }
    }

    public static void ReleaseDefault(TestHost host)
    {
        lock (DefaultLock)
        {
            if (!ReferenceEquals(host, _default))
            {
                return;
            }

            if (--_defaultReferences == 0)
            {
                _default = null;
            }
        }
    }

    public TestDomain? FindByName(string name) => _domains.Find(d => d.Name == name);

    public TestDomain? FindByUuid(Guid uuid) => _domains.Find(d => d.Uuid == uuid);

    public TestDomain? FindById(int id) => _domains.Find(d => d.Id == id);

    /// <summary>Adds a connection that receives the host's domain events; call under <see cref="Lock"/>.</summary>
    public void Attach(TestDomainDriver connection) => _connections.Add(connection);

    /// <summary>Stops sending events to a connection; call under <see cref="Lock"/>.</summary>
    public void Detach(TestDomainDriver connection) => _connections.Remove(connection);

    /// <summary>Sends a domain event to every open connection of the host, as libvirt's test driver queues it on
    /// its one event state. Call under <see cref="Lock"/>, in the order the changes happen: that is the order every
    /// connection's subscribers see.</summary>
    public void Publish(DomainLifecycleEvent lifecycleEvent)
    {
        foreach (var connection in _connections)
        {
            connection.Deliver(lifecycleEvent);
        }
    }

    public void Add(TestDomain domain) => _domains.Add(domain);

    public void Remove(TestDomain domain) => _domains.Remove(domain);

    /// <summary>What <c>virsh -c test:///default dumpxml --inactive test</c> prints (libvirt 9.0).</summary>
    internal const string DefaultDomainXml = """
        <domain type='test'>
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
}
