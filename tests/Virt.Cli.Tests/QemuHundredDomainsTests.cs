using Virt.Drivers;
using Virt.Qemu.Driver;

namespace Virt.Cli.Tests;

/// <summary>
/// 100 running domains (16 MiB, no guest) in one root, started by this process and then listed and destroyed by a
/// second process (<c>virt</c>), which takes them over from the files alone.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class QemuHundredDomainsTests
{
    private const int Count = 100;
    private string _root = "";
    private IVirtConnection _conn = null!;

    [SetUp]
    public void SetUp()
    {
        var registry = new VirtDriverRegistry();
        QemuDriver.Register(registry);
        _root = Directory.CreateTempSubdirectory("virt-hundred-").FullName;
        _conn = VirtConnection.Open("qemu:///embed?root=" + _root, new VirtConnectionOptions { Registry = registry });
    }

    [TearDown]
    public void TearDown()
    {
        foreach (var domain in _conn.ListAllDomains(ListDomainsFlags.Active))
        {
            domain.Destroy();
        }

        _conn.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Test]
    public void ASecondProcessListsAndDestroysAHundredRunningDomains()
    {
        for (int i = 0; i < Count; i++)
        {
            _conn.DefineDomain($"<domain type='qemu'><name>d{i:000}</name><memory unit='MiB'>16</memory><os><type arch='x86_64'>hvm</type></os></domain>").Start();
        }

        var listed = Virt("list --name");
        Assert.That(listed.ExitCode, Is.Zero, listed.Stderr);
        Assert.That(listed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EquivalentTo(Enumerable.Range(0, Count).Select(i => $"d{i:000}")));

        var destroyed = Virt(string.Join("; ", Enumerable.Range(0, Count).Select(i => $"destroy d{i:000}")));
        Assert.That(destroyed.ExitCode, Is.Zero, destroyed.Stderr);

        Assert.That(_conn.ListAllDomains(ListDomainsFlags.Active), Is.Empty);
        Assert.That(_conn.ListAllDomains(ListDomainsFlags.Inactive).Select(d => d.GetState()),
            Has.All.EqualTo(new DomainStateInfo(DomainState.Shutoff, (int)DomainShutoffReason.Destroyed)));
    }

    private (int ExitCode, string Stdout, string Stderr) Virt(string script) =>
        CliRunner.RunProcess("dotnet", [Path.Combine(AppContext.BaseDirectory, "virt.dll"), "-c", "qemu:///embed?root=" + _root, script]);
}
