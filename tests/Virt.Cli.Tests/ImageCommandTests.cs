using System.Diagnostics;

namespace Virt.Cli.Tests;

/// <summary>Image commands on real files, compared with what qemu-img itself prints for the same files.</summary>
[NonParallelizable]
public sealed class ImageCommandTests
{
    private string _dir = null!;
    private string _savedCwd = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("virt-cli-img-").FullName;
        _savedCwd = Environment.CurrentDirectory;
        Environment.CurrentDirectory = _dir;
    }

    [TearDown]
    public void TearDown()
    {
        Environment.CurrentDirectory = _savedCwd;
        Directory.Delete(_dir, recursive: true);
    }

    private static string QemuImg(params string[] args)
    {
        var start = new ProcessStartInfo("qemu-img") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(0), "qemu-img " + string.Join(' ', args));
        return output;
    }

    private static CliRunner.Result Virt(string line)
    {
        bool opened = false;
        var result = CliRunner.RunShell(new FakeHandles().Connection.Object, [line], onOpen: _ => opened = true);
        Assert.That(opened, Is.False, "image commands must not open a connection");
        return result;
    }

    [Test]
    public void CreatePrintsQemuImgsFormattingLineAndMakesAValidImage()
    {
        var result = Virt("image-create base.qcow2 1G; image-create top.qcow2 --backing base.qcow2 --backing-format qcow2");
        Directory.CreateDirectory("ref");
        Environment.CurrentDirectory = Path.Combine(_dir, "ref");
        string expected = QemuImg("create", "-f", "qcow2", "base.qcow2", "1G") + "\n"
            + QemuImg("create", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", "top.qcow2") + "\n";
        Environment.CurrentDirectory = _dir;
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.EqualTo(expected));
            Assert.That(result.ExitCode, Is.EqualTo(0));
            Assert.That(QemuImg("check", "top.qcow2"), Does.Contain("No errors were found on the image."));
        });
    }

    [Test]
    public void InfoAndSnapshotsMatchQemuImg()
    {
        QemuImg("create", "-f", "qcow2", "base.qcow2", "64M");
        QemuImg("snapshot", "-c", "first", "base.qcow2");
        QemuImg("create", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", "top.qcow2");
        var result = Virt("image-info top.qcow2 --backing-chain; image-info base.qcow2 --json; image-snapshots base.qcow2");
        string expected = QemuImg("info", "--backing-chain", "top.qcow2") + "\n"
            + QemuImg("info", "--output=json", "base.qcow2") + "\n"
            + QemuImg("snapshot", "-l", "base.qcow2") + "\n";
        Assert.That(result.Stdout, Is.EqualTo(expected));
    }

    [Test]
    public void CreateRefusesBadSizesAndExistingFiles()
    {
        File.WriteAllText("taken.qcow2", "x");
        var result = Virt("image-create a.qcow2 12Q; image-create b.qcow2; image-create c.qcow2 1G --backing-format qcow2; image-create taken.qcow2 1M");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stderr, Is.EqualTo(
                "error: Invalid image size specified. You may use k, M, G, T, P or E suffixes for\n" +
                "error: kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.\n" +
                "error: command 'image-create' requires <size> option unless --backing is given\n" +
                "error: --backing-format requires --backing\n" +
                "error: Requested operation is not valid: 'taken.qcow2' already exists; choose another name or ask to overwrite it\n"));
            Assert.That(File.ReadAllText("taken.qcow2"), Is.EqualTo("x"));
            Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "taken.qcow2" }));
            Assert.That(result.ExitCode, Is.EqualTo(1));
        });
    }
}
