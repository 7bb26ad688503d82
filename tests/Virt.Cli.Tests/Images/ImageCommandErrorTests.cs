using System.Buffers.Binary;

namespace Virt.Cli.Tests.Images;

/// <summary>Failing image commands print <c>error: MESSAGE</c> (the library's message) on stderr, leave files alone, and the next command still runs.</summary>
[TestFixture]
public sealed class ImageCommandErrorTests : ImageFixture
{
    [Test]
    public void MissingAndDamagedFilesAreReportedAndTheNextCommandRuns()
    {
        string missing = PathOf("missing.qcow2");
        string truncated = PathOf("truncated.qcow2");
        string good = PathOf("good.qcow2");
        File.WriteAllBytes(truncated, [0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 3]);
        QemuImg("create", "-q", "-f", "qcow2", good, "1M");
        var result = VirtQuiet($"image-info {missing}; image-snapshots {truncated}; image-info {good}");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stderr, Is.EqualTo(
                $"error: failed to open file: '{missing}' does not exist\n" +
                $"error: failed to read file: '{truncated}' is not a valid qcow2 image: qcow2 header at offset 0 (72 bytes) lies past the end of the file (8 bytes); the image is truncated or damaged\n"));
            Assert.That(result.Stdout, Is.EqualTo(QemuImg("info", good)));
            Assert.That(result.ExitCode, Is.EqualTo(1), "any failed command makes the status 1 (virsh would return the last command's, 0)");
        });
    }

    [Test]
    public void AFailingLastCommandExitsWithOne()
    {
        var result = Virt("image-snapshots", PathOf("nope"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Stderr, Is.EqualTo($"error: failed to open file: '{PathOf("nope")}' does not exist\n"));
            Assert.That(result.ExitCode, Is.EqualTo(1));
        });
    }

    [Test]
    public void ADirectoryIsRefusedByWhatItIs()
    {
        var result = VirtQuiet($"image-info {Dir}; image-snapshots {Dir}");
        string message = $"error: failed to open file: '{Dir}' is a directory, not a regular file or block device; give the path of a qcow2 or raw image\n";
        Assert.That(result, Is.EqualTo(new CliRunner.Result(1, string.Empty, message + message)));
    }

    [Test]
    public void AnExistingTargetIsRefusedInTheCommandsOwnWordsAndKept()
    {
        string taken = PathOf("taken.qcow2");
        QemuImg("create", "-q", "-f", "qcow2", PathOf("base.qcow2"), "1M");
        File.WriteAllText(taken, "precious");
        var result = VirtQuiet($"image-create {taken} 1M; image-create {taken} --backing base.qcow2 --backing-format qcow2");
        string message = $"error: Requested operation is not valid: '{taken}' already exists; image-create never overwrites a file: remove it or choose another name\n";
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(new CliRunner.Result(1, string.Empty, message + message)));
            Assert.That(File.ReadAllText(taken), Is.EqualTo("precious"));
        });
    }

    [Test]
    public void OtherImageFormatsAreRefusedByName()
    {
        File.WriteAllBytes(PathOf("disk.vmdk"), [.. "KDMV"u8, 1, 0, 0, 0, .. new byte[504]]);
        var result = Virt("image-info", PathOf("disk.vmdk"));
        Assert.That(result.Stderr, Is.EqualTo($"error: unsupported configuration: '{PathOf("disk.vmdk")}': image format 'vmdk' is not supported (only qcow2 and raw are)\n"));
    }

    [Test]
    public void BackingFileWithoutRecordedFormatIsNotProbed()
    {
        string top = PathOf("top.qcow2");
        QemuImg("create", "-q", "-f", "qcow2", PathOf("base.qcow2"), "1M");
        QemuImg("create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", top);
        ForgetBackingFormat(top);
        var result = Virt($"image-info {top} --backing-chain; image-info {top}");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stderr, Is.EqualTo(
                $"error: unsupported configuration: '{top}' has backing file 'base.qcow2' but records no backing format; Virt does not probe backing files "
                + "(QEMU would guess the format from the file's contents, which is unsafe for raw images). "
                + $"Record the format with: qemu-img rebase -u -b 'base.qcow2' -F <qcow2|raw> '{top}'\n"));
            Assert.That(result.Stdout, Is.EqualTo("\n" + QemuImg("info", top) + "\n"), "the overlay alone is still described");
            Assert.That(result.ExitCode, Is.EqualTo(1), "the first command failed");
        });
    }

    [Test]
    public void MissingBackingFileAndLoopsAreReported()
    {
        string top = PathOf("top.qcow2");
        string a = PathOf("a.qcow2");
        string b = PathOf("b.qcow2");
        QemuImg("create", "-q", "-f", "qcow2", PathOf("gone.qcow2"), "1M");
        QemuImg("create", "-q", "-f", "qcow2", "-b", "gone.qcow2", "-F", "qcow2", top);
        File.Delete(PathOf("gone.qcow2"));
        QemuImg("create", "-q", "-f", "qcow2", a, "1M");
        QemuImg("create", "-q", "-f", "qcow2", "-b", "a.qcow2", "-F", "qcow2", b);
        QemuImg("rebase", "-u", "-b", "b.qcow2", "-F", "qcow2", a);
        var result = Virt($"image-info --backing-chain {top}; image-info --backing-chain --json {a}");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stderr, Is.EqualTo(
                $"error: failed to open file: backing file 'gone.qcow2' of '{top}' does not exist (looked for '{PathOf("gone.qcow2")}')\n" +
                $"error: Requested operation is not valid: backing chain of '{a}' loops: '{b}' names '{a}', which is already in the chain as '{a}'; fix it with qemu-img rebase -u\n"));
            Assert.That(result.Stdout, Is.EqualTo("\n\n"));
            Assert.That(result.ExitCode, Is.EqualTo(1));
        });
    }

    [Test]
    public void CreateRefusesBadArgumentsAndNeverOverwrites()
    {
        string taken = PathOf("taken.qcow2");
        File.WriteAllText(taken, "precious");
        var result = VirtQuiet(string.Join("; ",
            $"image-create {PathOf("a.qcow2")} 12Q",
            $"image-create {PathOf("b.qcow2")}",
            $"image-create {PathOf("c.qcow2")} 1G --backing-format qcow2",
            $"image-create {PathOf("d.qcow2")} --backing {taken}",
            $"image-create {PathOf("e.qcow2")} --backing missing.qcow2 --backing-format raw",
            $"image-create {PathOf("f.qcow2")} 1G --cluster-size 3000",
            $"image-create {PathOf("g.qcow2")} 1G --compat 2",
            $"image-create {taken} 1M"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Stderr, Is.EqualTo(
                "error: invalid argument: invalid size '12Q': give a number of bytes with an optional suffix K, M, G, T, P or E (powers of 1024), e.g. 10G or 512M, below 8 EiB\n" +
                "error: command 'image-create' requires <size> option unless --backing is given\n" +
                "error: --backing-format requires --backing\n" +
                "error: --backing requires --backing-format (qcow2 or raw): virt never guesses a backing file's format\n" +
                "error: failed to open file: backing file 'missing.qcow2' does not exist (looked for '" + PathOf("missing.qcow2") + "', relative to the overlay's directory)\n" +
                "error: invalid argument: cluster size 3000 is invalid: it must be a power of two between 512 and 2097152 (2 MiB)\n" +
                "error: invalid argument: compat '2' is invalid: use 1.1 or 0.10\n" +
                $"error: Requested operation is not valid: '{taken}' already exists; image-create never overwrites a file: remove it or choose another name\n"));
            Assert.That(result.Stdout, Is.Empty);
            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(File.ReadAllText(taken), Is.EqualTo("precious"));
            Assert.That(Directory.GetFileSystemEntries(Dir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "taken.qcow2" }), "no file or temporary left behind");
        });
    }

    /// <summary>Renames the overlay's backing-format header extension to an unknown one (which QEMU skips), as an image written by an old tool would be.</summary>
    private static void ForgetBackingFormat(string file)
    {
        byte[] bytes = File.ReadAllBytes(file);
        Span<byte> magic = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(magic, 0xE2792ACA);
        int at = bytes.AsSpan(0, 65536).IndexOf(magic);
        Assert.That(at, Is.GreaterThan(0), "backing format extension present");
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), 0x0BADF00D);
        File.WriteAllBytes(file, bytes);
    }
}
