namespace Virt.Testing.Tests;

/// <summary>The hook through which the snapshot support attaches a per-domain store, and the rules the domain code applies with it.</summary>
public sealed class SnapshotHookTests : TestConnectionFixture
{
    private sealed class FakeStore(int count) : ITestSnapshotStore
    {
        public int Count { get; private set; } = count;

        public void RemoveAll() => Count = 0;
    }

    private FakeStore Attach(string name, int count)
    {
        var store = new FakeStore(count);
        var host = TestHost.AcquireDefault();
        try
        {
            lock (host.Lock)
            {
                host.FindByName(name)!.Snapshots = store;
            }
        }
        finally
        {
            TestHost.ReleaseDefault(host);
        }

        return store;
    }

    [Test]
    public void InactiveDomainWithSnapshotsNeedsTheMetadataFlag()
    {
        var m = Connection.DefineDomain(MinimalXml);
        var store = Attach("m", 1);

        var ex = Fails(() => m.Undefine());
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.OperationInvalid));
            Assert.That(ex.Message, Is.EqualTo("Requested operation is not valid: cannot delete inactive domain with 1 snapshots"));
            Assert.That(Connection.ListAllDomains(ListDomainsFlags.HasSnapshot).Select(d => d.Name), Is.EqualTo(new[] { "m" }));
        });

        m.Undefine(DomainUndefineFlags.SnapshotsMetadata);
        Assert.Multiple(() =>
        {
            Assert.That(store.Count, Is.Zero);
            Assert.That(Connection.ListAllDomains().Select(d => d.Name), Is.EqualTo(new[] { "test" }));
        });
    }

    [Test]
    public void RunningDomainWithSnapshotsBecomesTransientWithoutTheFlag()
    {
        var store = Attach("test", 2);
        var test = Connection.LookupDomainByName("test");
        test.Undefine();
        Assert.Multiple(() =>
        {
            Assert.That(test.IsPersistent, Is.False);
            Assert.That(store.Count, Is.EqualTo(2));
        });
    }

    [Test]
    public void NameWithNewlineIsRefusedOnDefine() =>
        Assert.That(Fails(() => Connection.DefineDomain("<domain type='test'><name>a&#10;b</name><memory>1</memory><os><type>hvm</type></os></domain>")).Message,
            Is.EqualTo("XML error: invalid char in name: 0x0a"));
}
