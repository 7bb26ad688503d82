using Virt.Remote.Tests.Daemon;

namespace Virt.Aot.Tests;

/// <summary>
/// tests/Virt.Aot.Smoke published with Native AOT calls each package: a trimmed-away member or a reflection path
/// that AOT cannot run shows up here as a failed line, not in a user's native app.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class SmokeAppTests
{
    private string _dir = "";

    [OneTimeSetUp]
    public void Publish()
    {
        _dir = Directory.CreateTempSubdirectory("virt-aot-smoke-").FullName;
        DotnetCli.Dotnet(null, "publish", "tests/Virt.Aot.Smoke", "-c", "Release", "-r", "linux-x64", "-o", Path.Combine(_dir, "app"));
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        ThrowawayLibvirtd.StopShared();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void NativeAppCallsEveryPackage()
    {
        string app = Path.Combine(_dir, "app", "Virt.Aot.Smoke");
        string scratch = Directory.CreateDirectory(Path.Combine(_dir, "scratch")).FullName;
        var libvirtd = ThrowawayLibvirtd.Shared;

        var (code, stdout, stderr) = DotnetCli.Run(app, [scratch, libvirtd.UnixUri]);

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(_dir, "app", "Virt.Core.dll")), Is.False, "a native app has no managed assemblies beside it");
            Assert.That(stdout, Is.EqualTo(
                "core: aot,test; aot Paused, memory 65536 KiB; NoDomain 'Domain not found: no domain with matching name 'nosuch''\n" +
                "snapshot: s1,s2; s2's parent s1, state Running; current after revert s1\n" +
                "image: qcow2 67108864 bytes, cluster 65536, snapshots snap1, json names format True\n" +
                "qmp: query-status prelaunch; vm Paused\n" +
                "remote: test; test Running, xml names it True\n"));
            Assert.That(stderr, Is.Empty);
            Assert.That(code, Is.Zero);
        });
    }
}
