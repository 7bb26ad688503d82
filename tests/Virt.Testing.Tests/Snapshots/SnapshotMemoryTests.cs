namespace Virt.Testing.Tests.Snapshots;

/// <summary>What a long series of snapshots keeps in memory (the 8,000-command script of issue 14 takes 1,600 in one
/// process, and its peak memory is compared with virsh's).</summary>
[NonParallelizable]
public class SnapshotMemoryTests : TestConnectionFixture
{
    [Test]
    public void SnapshotsOfAnUnchangedDomainDoNotEachKeepACopyOfItsDefinition()
    {
        const int Count = 1000;
        var test = Connection.LookupDomainByName("test");
        long definitionBytes = test.GetXmlDescription(DomainXmlFlags.Inactive).Length * (long)sizeof(char);
        test.CreateSnapshot("<domainsnapshot><name>warm-up</name></domainsnapshot>");

        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < Count; i++)
        {
            test.CreateSnapshot($"<domainsnapshot><name>s{i}</name></domainsnapshot>");
        }

        long perSnapshot = (GC.GetTotalMemory(forceFullCollection: true) - before) / Count;

        Assert.That(perSnapshot, Is.LessThan(definitionBytes),
            $"each snapshot keeps {perSnapshot} bytes; the domain's definition alone takes {definitionBytes}");
        Assert.That(test.LookupSnapshot("s0").GetXmlDescription(), Does.Contain("<name>test</name>"));
        Assert.That(test.LookupSnapshot($"s{Count - 1}").GetXmlDescription(), Does.Contain("<name>test</name>"));
    }

    [Test]
    public void ASnapshotTakenAfterTheDomainChangedRecordsTheChange()
    {
        var test = Connection.LookupDomainByName("test");
        test.CreateSnapshot("<domainsnapshot><name>running</name></domainsnapshot>");
        test.Destroy();
        Connection.DefineDomain(test.GetXmlDescription(DomainXmlFlags.Inactive).Replace("<on_crash>destroy</on_crash>", "<on_crash>restart</on_crash>", StringComparison.Ordinal));
        test.CreateSnapshot("<domainsnapshot><name>redefined</name></domainsnapshot>");

        Assert.That(test.LookupSnapshot("running").GetXmlDescription(), Does.Contain("<on_crash>destroy</on_crash>"));
        Assert.That(test.LookupSnapshot("redefined").GetXmlDescription(), Does.Contain("<on_crash>restart</on_crash>"));
    }
}
