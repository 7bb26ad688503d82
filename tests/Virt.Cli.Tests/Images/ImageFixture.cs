using System.Diagnostics;

namespace Virt.Cli.Tests.Images;

/// <summary>
/// Base of the image command tests: a temporary folder removed after each test, qemu-img as the reference,
/// and <c>virt</c> run in-process with a connection that must never be opened.
/// </summary>
public abstract class ImageFixture
{
    private string _dir = null!;

    /// <summary>The test's temporary folder (absolute).</summary>
    protected string Dir => _dir;

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("virt-cli-img-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    /// <summary>An absolute path in the test's folder.</summary>
    protected string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>Runs qemu-img and returns its standard output; the test fails if it exits non-zero.</summary>
    protected static string QemuImg(params string[] args)
    {
        var start = new ProcessStartInfo("qemu-img")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["LC_ALL"] = "C";
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(0), "qemu-img " + string.Join(' ', args) + ": " + stderr.Result);
        return output;
    }

    /// <summary>Runs <c>virt ARGS</c> in-process; image commands must not open a connection.</summary>
    private protected static CliRunner.Result Virt(params string[] args)
    {
        bool opened = false;
        var result = CliRunner.RunShell(new FakeHandles().Connection.Object, args, onOpen: _ => opened = true);
        Assert.That(opened, Is.False, "image commands must not open a connection");
        return result;
    }

    /// <summary>Runs <c>virt -q ARGS</c>: without virsh's blank line after each command, so one command's output equals qemu-img's.</summary>
    private protected static CliRunner.Result VirtQuiet(params string[] args) => Virt(["-q", .. args]);
}
