using Virt.Drivers;
using Virt.Qemu.Driver;

namespace Virt.Qemu.Tests.Driver;

/// <summary>Base of the tests that use the QEMU driver through the façade: a fresh root per test, a connection to it,
/// and every VM still running destroyed afterwards, also after a failed test.</summary>
public abstract class QemuRootTest
{
    private readonly VirtDriverRegistry _registry = new();

    /// <summary>The test's root folder.</summary>
    protected string Root { get; private set; } = "";

    /// <summary>A connection to <see cref="Root"/>.</summary>
    protected IVirtConnection Conn { get; private set; } = null!;

    [SetUp]
    public void CreateRoot()
    {
        QemuDriver.Register(_registry);
        Root = Directory.CreateTempSubdirectory("virt-qemu-test-").FullName;
        Conn = Open();
    }

    [TearDown]
    public void RemoveRoot()
    {
        foreach (var domain in Conn.ListAllDomains(ListDomainsFlags.Active))
        {
            domain.Destroy();
        }

        Conn.Dispose();
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>Opens another connection to <see cref="Root"/> (the caller disposes it).</summary>
    protected IVirtConnection Open() => VirtConnection.Open("qemu:///embed?root=" + Root, new VirtConnectionOptions { Registry = _registry });
}
