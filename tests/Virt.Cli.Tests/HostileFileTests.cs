using System.Diagnostics;
using System.Text;

namespace Virt.Cli.Tests;

/// <summary>
/// Files a new user may hand to <c>define</c> and <c>snapshot-create</c> by mistake: devices and FIFOs are refused at
/// once instead of being read until memory runs out or waiting for ever, and bytes that are not UTF-8 are refused with
/// libxml2's message as virsh prints it (checked against virsh -c test:///default, libvirt 9.0).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostileFileTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("virt-cli-hostile-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static CliRunner.Result Virt(params string[] args) => CliRunner.RunProgram(["-c", "test:///default", .. args]);

    private static void AssertFails(CliRunner.Result result, string stderr)
    {
        Assert.Multiple(() =>
        {
            Assert.That(result.Stderr, Is.EqualTo(stderr));
            Assert.That(result.ExitCode, Is.EqualTo(1));
        });
    }

    [TestCase("/dev/zero")]
    [TestCase("/dev/urandom")]
    public void DefineRefusesAnEndlessDeviceAtOnceLikeVirsh(string device) =>
        AssertFails(Virt("define", device), $"error: Failed to read file '{device}': Value too large for defined data type\n");

    [Test]
    public void SnapshotCreateRefusesAnEndlessDeviceAtOnceLikeVirsh() =>
        AssertFails(Virt("snapshot-create", "test", "/dev/zero"), "error: Failed to read file '/dev/zero': Value too large for defined data type\n");

    [Test]
    public void DefineRefusesADirectoryLikeVirsh() =>
        AssertFails(Virt("define", _dir), $"error: Failed to read file '{_dir}': Is a directory\n");

    [Test]
    public void DefineRefusesAFifoWithoutWaitingForAWriter()
    {
        // virsh waits for ever here; we refuse it as the non-regular file it is.
        string fifo = Path.Combine(_dir, "vm.xml");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false })!)
        {
            mkfifo.WaitForExit();
        }

        var run = Task.Run(() => Virt("define", fifo));
        bool finished = run.Wait(TimeSpan.FromSeconds(20));
        if (!finished)
        {
            using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write);
        }

        Assert.That(finished, Is.True, "define blocked on a FIFO");
        AssertFails(run.Result, $"error: Failed to read file '{fifo}': not a regular file\n");
    }

    [Test]
    public void DefineRefusesBytesThatAreNotUtf8LikeVirsh()
    {
        string path = Write("bad.xml", "<domain type='test'><name>bad"u8.ToArray(), [0xFF, 0xFE], "</name><memory>1024</memory><os><type>hvm</type></os></domain>"u8.ToArray());

        AssertFails(Virt("define", path),
            $"error: Failed to define domain from {path}\n" +
            "error: XML error: (domain_definition):1: Input is not proper UTF-8, indicate encoding !\n" +
            "Bytes: 0xFF 0xFE 0x3C 0x2F\n" +
            "<domain type='test'><name>bad\uFFFD\uFFFD</name><memory>1024</memory><os><type>hvm</type></os></domain>\n" +
            "-----------------------------^\n");
    }

    [Test]
    public void ALatin1DeclarationDoesNotMakeLatin1BytesAcceptableLikeVirsh()
    {
        string path = Write("latin.xml", "<?xml version='1.0' encoding='ISO-8859-1'?>\n<domain type='test'><name>caf"u8.ToArray(), [0xE9], "</name><memory>1024</memory><os><type>hvm</type></os></domain>"u8.ToArray());

        AssertFails(Virt("define", path),
            $"error: Failed to define domain from {path}\n" +
            "error: XML error: (domain_definition):2: Input is not proper UTF-8, indicate encoding !\n" +
            "Bytes: 0xE9 0x3C 0x2F 0x6E\n" +
            "<domain type='test'><name>caf\uFFFD</name><memory>1024</memory><os><type>hvm</type></os></domain>\n" +
            "-----------------------------^\n");
    }

    [Test]
    public void Utf8UnderALatin1DeclarationIsReadAsUtf8LikeVirsh()
    {
        string path = Write("latin-utf8.xml", Encoding.UTF8.GetBytes("<?xml version='1.0' encoding='ISO-8859-1'?><domain type='test'><name>café</name><memory>1024</memory><os><type>hvm</type></os></domain>"));

        var result = Virt($"define {path}; list --all --name");

        Assert.Multiple(() =>
        {
            Assert.That(result.Stderr, Is.Empty);
            Assert.That(result.Stdout, Does.Contain("\ncafé\n"));
        });
    }

    [Test]
    public void SnapshotCreateRefusesANameThatIsNotUtf8LikeVirsh()
    {
        string path = Write("snap.xml", "<domainsnapshot><name>s"u8.ToArray(), [0xFF], "</name></domainsnapshot>"u8.ToArray());

        AssertFails(Virt("snapshot-create", "test", path),
            "error: XML error: (domain_snapshot):1: Input is not proper UTF-8, indicate encoding !\n" +
            "Bytes: 0xFF 0x3C 0x2F 0x6E\n" +
            "<domainsnapshot><name>s\uFFFD</name></domainsnapshot>\n" +
            "-----------------------^\n");
    }

    private string Write(string name, params byte[][] parts)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, parts.SelectMany(p => p).ToArray());
        return path;
    }
}
