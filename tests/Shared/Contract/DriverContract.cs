namespace Virt.Contract;

/// <summary>
/// Base of every contract fixture: opens a connection from the <see cref="ContractTarget"/> before each test,
/// names domains uniquely (a driver's host may be shared by the whole process), and removes every domain the
/// test made afterwards, running or not, with its snapshots.
/// </summary>
public abstract class DriverContract
{
    private readonly List<string> _domains = [];
    private readonly List<IVirtConnection> _connections = [];

    /// <summary>Takes the driver under test.</summary>
    protected DriverContract(ContractTarget target) => Target = target;

    /// <summary>The driver under test.</summary>
    protected ContractTarget Target { get; }

    /// <summary>The connection of the current test.</summary>
    protected IVirtConnection Connection { get; private set; } = null!;

    [SetUp]
    public void OpenContractConnection() => Connection = OpenConnection();

    [TearDown]
    public void RemoveContractDomains()
    {
        try
        {
            foreach (string name in _domains)
            {
                Remove(name);
            }
        }
        finally
        {
            _domains.Clear();
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }

            _connections.Clear();
            Connection.Dispose();
        }
    }

    /// <summary>Opens one more connection, closed after the test.</summary>
    protected IVirtConnection OpenConnection()
    {
        var connection = Target.Open();
        _connections.Add(connection);
        return connection;
    }

    /// <summary>A domain name no other test uses, recorded for removal after the test.</summary>
    protected string NewName(string stem)
    {
        string name = "contract-" + stem + "-" + Guid.NewGuid().ToString("N")[..8];
        _domains.Add(name);
        return name;
    }

    /// <summary>Defines a new shut-off persistent domain.</summary>
    protected IVirtDomain Define(string stem) => Connection.DefineDomain(Target.DomainXml(NewName(stem)));

    /// <summary>Defines and starts a new persistent domain.</summary>
    protected IVirtDomain Running(string stem)
    {
        var domain = Define(stem);
        domain.Start();
        return domain;
    }

    /// <summary>Defines, starts and suspends a new persistent domain.</summary>
    protected IVirtDomain Paused(string stem)
    {
        var domain = Running(stem);
        domain.Suspend();
        return domain;
    }

    /// <summary>A running domain without a persistent definition (defined, started, undefined).</summary>
    protected IVirtDomain Transient(string stem)
    {
        var domain = Running(stem);
        domain.Undefine();
        return domain;
    }

    /// <summary>The names of <paramref name="domains"/> that this test made, in the order listed.</summary>
    protected IEnumerable<string> Ours(IEnumerable<IVirtDomain> domains) => domains.Select(d => d.Name).Where(_domains.Contains);

    /// <summary>Stops a test that needs snapshots, as ignored, when the driver has none yet.</summary>
    protected void RequireSnapshots()
    {
        if (Target.SnapshotsMissing is { } why)
        {
            Assert.Ignore(why);
        }
    }

    /// <summary>Runs <paramref name="action"/>, which must throw a <see cref="VirtException"/>, and returns it.</summary>
    protected static VirtException Fails(Action action) => Assert.Throws<VirtException>(() => action())!;

    /// <summary>Asserts that <paramref name="action"/> fails with exactly <paramref name="expected"/>.</summary>
    protected static void FailsWith(ExpectedError expected, Action action)
    {
        var ex = Fails(action);
        Assert.That(new ExpectedError(ex.Code, ex.Message), Is.EqualTo(expected));
    }

    /// <summary>Asserts that <paramref name="action"/> fails with <paramref name="code"/> and exactly <paramref name="message"/>.</summary>
    protected static void FailsWith(VirtErrorCode code, string message, Action action) => FailsWith(new ExpectedError(code, message), action);

    private void Remove(string name)
    {
        IVirtDomain domain;
        try
        {
            domain = Connection.LookupDomainByName(name);
        }
        catch (VirtException e) when (e.Code == VirtErrorCode.NoDomain)
        {
            return;
        }

        bool persistent = domain.IsPersistent;
        if (domain.IsActive)
        {
            domain.Destroy();
        }

        if (persistent)
        {
            domain.Undefine(DomainUndefineFlags.SnapshotsMetadata);
        }
    }
}
