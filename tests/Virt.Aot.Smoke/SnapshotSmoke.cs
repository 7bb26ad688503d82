using Virt.Snapshot;

namespace Virt.Aot.Smoke;

/// <summary>Virt.Snapshot's tree and domainsnapshot XML, through the test driver's snapshots.</summary>
internal static class SnapshotSmoke
{
    public static string Run()
    {
        using var conn = VirtConnection.Open("test:///default");
        var dom = conn.LookupDomainByName("test");
        dom.CreateSnapshot("<domainsnapshot><name>s1</name><description>first</description></domainsnapshot>");
        var s2 = dom.CreateSnapshot("<domainsnapshot><name>s2</name></domainsnapshot>");
        var parsed = SnapshotDefinition.Parse(s2.GetXmlDescription(), SnapshotParseFlags.Redefine);
        dom.LookupSnapshot("s1").Revert();
        var names = dom.ListSnapshots().Select(s => s.Name).Order(StringComparer.Ordinal);
        return $"{string.Join(",", names)}; s2's parent {parsed.ParentName}, state {parsed.State}; current after revert {dom.GetCurrentSnapshot().Name}";
    }
}
