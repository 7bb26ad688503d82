using Virt;
using Virt.Testing;

// The quickstart: the public API at work on the test:///default driver (an in-memory host that
// behaves like libvirt's test driver). Every call is synchronous and throws VirtException on failure.
TestDriver.Register();
using var conn = VirtConnection.Open(args.Length > 0 ? args[0] : TestDriver.DefaultUri);
Console.WriteLine($"connected to {conn.Uri} ({conn.HypervisorType} on {conn.GetHostname()})");

var web = conn.DefineDomain("""
    <domain type='test'>
      <name>web</name>
      <memory unit='MiB'>512</memory>
      <vcpu>2</vcpu>
      <os><type>hvm</type></os>
      <devices>
        <disk type='file' device='disk'>
          <source file='/guest/web.qcow2'/>
          <target dev='vda' bus='virtio'/>
        </disk>
      </devices>
    </domain>
    """);
Console.WriteLine($"defined {web.Name} ({web.Uuid})");

web.Start();
Print(web);

var clean = web.CreateSnapshot("<domainsnapshot><name>clean</name><description>fresh install</description></domainsnapshot>");
Console.WriteLine($"snapshot '{clean.Name}' taken; current: {web.GetCurrentSnapshot().Name}");

web.Suspend();
Print(web);
var paused = web.CreateSnapshot("<domainsnapshot><name>paused</name></domainsnapshot>");
Console.WriteLine($"snapshot '{paused.Name}' has parent '{paused.GetParent().Name}'");

web.Destroy();
Print(web);

clean.Revert();
Console.WriteLine($"reverted to '{clean.Name}'");
Print(web);

Console.WriteLine("snapshots, parents first:");
foreach (var snap in web.ListSnapshots(SnapshotListFlags.Topological))
{
    Console.WriteLine($"  {snap.Name}{(snap.IsCurrent ? " (current)" : string.Empty)}");
}

Console.WriteLine("all domains:");
foreach (var dom in conn.ListAllDomains())
{
    Console.WriteLine($"  {dom.Name,-8} {dom.GetState().State}");
}

try
{
    conn.LookupDomainByName("nope");
}
catch (VirtException ex) when (ex.Code == VirtErrorCode.NoDomain)
{
    Console.WriteLine($"as expected: {ex.Message}");
}

Console.WriteLine("live XML of web:");
Console.WriteLine(web.GetXmlDescription());

static void Print(IVirtDomain dom)
{
    var info = dom.GetInfo();
    Console.WriteLine($"{dom.Name}: {info.State}, {info.VirtualCpuCount} vCPU, {info.MemoryKiB} KiB");
}
