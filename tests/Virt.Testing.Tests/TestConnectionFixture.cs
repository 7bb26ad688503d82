using Virt.Drivers;

namespace Virt.Testing.Tests;

/// <summary>Opens test:///default through a private registry; the shared host is fresh for each test because every connection is closed at the end.</summary>
public abstract class TestConnectionFixture
{
    private readonly List<IVirtConnection> _open = [];

    protected VirtDriverRegistry Registry { get; } = new();

    protected IVirtConnection Connection { get; private set; } = null!;

    [SetUp]
    public void OpenConnection()
    {
        TestDriver.Register(Registry);
        Connection = Open();
    }

    [TearDown]
    public void CloseConnections()
    {
        foreach (var connection in _open)
        {
            connection.Dispose();
        }

        Connection.Dispose();

        _open.Clear();
    }

    protected IVirtConnection Open()
    {
        var connection = VirtConnection.Open(TestDriver.DefaultUri, new VirtConnectionOptions { Registry = Registry });
        _open.Add(connection);
        return connection;
    }

    protected static VirtException Fails(Action action) => Assert.Throws<VirtException>(() => action())!;

    protected const string MinimalXml = """
        <domain type='test'>
          <name>m</name>
          <memory>1024</memory>
          <os><type>hvm</type></os>
        </domain>
        """;
}
