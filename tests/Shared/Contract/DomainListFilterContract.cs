namespace Virt.Contract;

/// <summary>
/// <see cref="IVirtConnection.ListAllDomains"/> filters as libvirt's virDomainObjMatchFilter applies them: flags of
/// one group are alternatives (OR), groups combine with AND, no flag of a group means the whole group.
/// Each test looks only at the domains it made; the driver's host may hold others.
/// </summary>
public abstract class DomainListFilterContract(ContractTarget target) : DriverContract(target)
{
    private IVirtDomain _off = null!;
    private IVirtDomain _running = null!;
    private IVirtDomain _paused = null!;
    private IVirtDomain _transient = null!;

    [SetUp]
    public void MakeOneDomainOfEachKind()
    {
        _off = Define("off");
        _running = Running("run");
        _paused = Paused("pause");
        _transient = Transient("trans");
    }

    private string[] List(ListDomainsFlags flags) => [.. Ours(Connection.ListAllDomains(flags)).Order(StringComparer.Ordinal)];

    private static string[] Names(params IVirtDomain[] domains) => [.. domains.Select(d => d.Name).Order(StringComparer.Ordinal)];

    [Test]
    public void NoFlagsListsEveryDomain() =>
        Assert.That(List(ListDomainsFlags.None), Is.EqualTo(Names(_off, _running, _paused, _transient)));

    [Test]
    public void ActiveListsRunningAndPaused() =>
        Assert.That(List(ListDomainsFlags.Active), Is.EqualTo(Names(_running, _paused, _transient)));

    [Test]
    public void InactiveListsShutOff() =>
        Assert.That(List(ListDomainsFlags.Inactive), Is.EqualTo(Names(_off)));

    [Test]
    public void ActiveOrInactiveListsEveryDomain() =>
        Assert.That(List(ListDomainsFlags.Active | ListDomainsFlags.Inactive), Is.EqualTo(Names(_off, _running, _paused, _transient)));

    [Test]
    public void PersistentLeavesOutTheTransientDomain() =>
        Assert.That(List(ListDomainsFlags.Persistent), Is.EqualTo(Names(_off, _running, _paused)));

    [Test]
    public void TransientListsOnlyTheTransientDomain() =>
        Assert.That(List(ListDomainsFlags.Transient), Is.EqualTo(Names(_transient)));

    [Test]
    public void RunningPausedShutoffSelectByState()
    {
        Assert.Multiple(() =>
        {
            Assert.That(List(ListDomainsFlags.Running), Is.EqualTo(Names(_running, _transient)));
            Assert.That(List(ListDomainsFlags.Paused), Is.EqualTo(Names(_paused)));
            Assert.That(List(ListDomainsFlags.Shutoff), Is.EqualTo(Names(_off)));
            Assert.That(List(ListDomainsFlags.Running | ListDomainsFlags.Paused), Is.EqualTo(Names(_running, _paused, _transient)));
        });
    }

    [Test]
    public void OtherMatchesNoneOfTheseStates() =>
        Assert.That(List(ListDomainsFlags.Other), Is.Empty);

    [Test]
    public void GroupsCombineWithAnd()
    {
        Assert.Multiple(() =>
        {
            Assert.That(List(ListDomainsFlags.Active | ListDomainsFlags.Persistent), Is.EqualTo(Names(_running, _paused)));
            Assert.That(List(ListDomainsFlags.Running | ListDomainsFlags.Transient), Is.EqualTo(Names(_transient)));
            Assert.That(List(ListDomainsFlags.Inactive | ListDomainsFlags.Transient), Is.Empty);
            Assert.That(List(ListDomainsFlags.Inactive | ListDomainsFlags.Running), Is.Empty, "an impossible combination lists nothing");
        });
    }

    [Test]
    public void HasSnapshotAndNoSnapshotSplitByWhetherSnapshotsExist()
    {
        RequireSnapshots();
        _off.CreateSnapshot("<domainsnapshot><name>s1</name></domainsnapshot>");
        Assert.Multiple(() =>
        {
            Assert.That(List(ListDomainsFlags.HasSnapshot), Is.EqualTo(Names(_off)));
            Assert.That(List(ListDomainsFlags.NoSnapshot), Is.EqualTo(Names(_running, _paused, _transient)));
            Assert.That(List(ListDomainsFlags.HasSnapshot | ListDomainsFlags.NoSnapshot), Is.EqualTo(Names(_off, _running, _paused, _transient)));
            Assert.That(List(ListDomainsFlags.HasSnapshot | ListDomainsFlags.Active), Is.Empty);
        });
    }

    [Test]
    public void DeletingTheLastSnapshotMovesTheDomainBackToNoSnapshot()
    {
        RequireSnapshots();
        var snapshot = _off.CreateSnapshot("<domainsnapshot><name>s1</name></domainsnapshot>");
        snapshot.Delete();
        Assert.That(List(ListDomainsFlags.NoSnapshot | ListDomainsFlags.Inactive), Is.EqualTo(Names(_off)));
    }

    [Test]
    public void ListedHandlesCarryTheDomainsState()
    {
        var listed = Connection.ListAllDomains().Where(d => d.Name == _paused.Name).Single();
        Assert.Multiple(() =>
        {
            Assert.That(listed.Uuid, Is.EqualTo(_paused.Uuid));
            Assert.That(listed.IsActive, Is.True);
            Assert.That(listed.IsPersistent, Is.True);
            Assert.That(listed.GetState().State, Is.EqualTo(DomainState.Paused));
        });
    }

    [Test]
    public void ADestroyedTransientDomainIsNoLongerListed()
    {
        _transient.Destroy();
        Assert.That(List(ListDomainsFlags.None), Is.EqualTo(Names(_off, _running, _paused)));
    }

    [Test]
    public void UnknownFlagIsRefusedAsUnsupported()
    {
        var ex = Fails(() => Connection.ListAllDomains((ListDomainsFlags)(1 << 20)));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
            Assert.That(ex.Message, Does.StartWith("unsupported flags (0x100000) in function "));
        });
    }
}
