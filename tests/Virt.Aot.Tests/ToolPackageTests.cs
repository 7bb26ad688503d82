namespace Virt.Aot.Tests;

/// <summary>
/// <c>virt</c> packed as a RID-specific .NET tool (the top-level package plus the Native AOT linux-x64 one) into a
/// local feed and installed from it with <c>dotnet tool install --tool-path</c>, as the README tells users to.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class ToolPackageTests
{
    private string _dir = "";
    private string _toolPath = "";

    [OneTimeSetUp]
    public void PackAndInstall()
    {
        _dir = Directory.CreateTempSubdirectory("virt-aot-tool-").FullName;
        string feed = Directory.CreateDirectory(Path.Combine(_dir, "feed")).FullName;
        _toolPath = Path.Combine(_dir, "tools");
        DotnetCli.Dotnet(null, "pack", "samples/Virt.Cli", "-c", "Release", "-o", feed);
        DotnetCli.Dotnet(null, "pack", "samples/Virt.Cli", "-c", "Release", "-r", "linux-x64", "-o", feed);

        // Only the local feed, and a package folder of its own: the user-wide cache may hold an older Virt.Cli 0.1.0.
        string config = Path.Combine(_dir, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><clear /><add key="local" value="{feed}" /></packageSources>
            </configuration>
            """);
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_dir, "packages") };
        DotnetCli.Dotnet(environment, "tool", "install", "Virt.Cli", "--tool-path", _toolPath, "--configfile", config);
    }

    [OneTimeTearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void InstalledToolIsNative()
    {
        string installed = Path.Combine(_toolPath, ".store", "virt.cli");
        var files = Directory.GetFiles(installed, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        string native = Directory.GetFiles(installed, "virt", SearchOption.AllDirectories).Single();

        Assert.Multiple(() =>
        {
            Assert.That(files, Has.None.EndsWith(".dll"), "no managed assembly: the tool is the native executable");
            Assert.That(File.ReadAllBytes(native).Take(4), Is.EqualTo("\u007fELF"u8.ToArray()));
        });
    }

    [Test]
    public void InstalledToolRunsCommandsAsVirsh()
    {
        var (code, stdout, stderr) = DotnetCli.Run(Path.Combine(_toolPath, "virt"), ["-c", "test:///default", "domstate test --reason; list --all"]);

        Assert.Multiple(() =>
        {
            Assert.That(stdout, Is.EqualTo("running (unknown)\n\n Id   Name   State\n----------------------\n 1    test   running\n\n"));
            Assert.That(stderr, Is.Empty);
            Assert.That(code, Is.Zero);
        });
    }
}
