namespace Virt.Cli.Tests;

/// <summary>
/// Start-up does only what the command needs (issue 14): a driver's assembly is loaded when a URI of its scheme is
/// opened, not for every command. Watched from outside with strace, on the framework-dependent virt.dll.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class StartupWorkTests
{
    [Test]
    public void CommandWithoutConnectionLoadsNoDriver()
    {
        var loaded = DriverAssembliesOpened("echo", "hi");

        Assert.That(loaded, Is.Empty);
    }

    [Test]
    public void TestUriLoadsOnlyTheTestDriver()
    {
        var loaded = DriverAssembliesOpened("-c", "test:///default", "domstate test");

        Assert.That(loaded, Is.EqualTo(new[] { "Virt.Testing.dll" }));
    }

    private static List<string> DriverAssembliesOpened(params string[] args)
    {
        string trace = Path.GetTempFileName();
        try
        {
            var (code, _, stderr) = CliRunner.RunProcess("strace",
                ["-f", "-qq", "-e", "trace=openat", "-o", trace, "dotnet", Path.Combine(AppContext.BaseDirectory, "virt.dll"), .. args]);
            Assert.That(code, Is.Zero, stderr);
            return File.ReadLines(trace)
                .Where(line => !line.Contains("ENOENT", StringComparison.Ordinal))
                .Select(line => System.Text.RegularExpressions.Regex.Match(line, @"(Virt\.(Qemu|Remote|Testing)\.dll)""").Groups[1].Value)
                .Where(name => name.Length > 0)
                .Distinct()
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        finally
        {
            File.Delete(trace);
        }
    }
}
