using System.Diagnostics;
using Moq;
using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ExternalTools;

namespace Virt.Qemu.Tests.Images;

/// <summary>Offline operations through the qemu-img runner: argument arrays, errors with stderr, timeouts, cancellation, and the real tool.</summary>
[TestFixture]
public sealed class QemuImgOperationsTests
{
    private TempDir _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = new TempDir();

    [TearDown]
    public void RemoveDir() => _dir.Dispose();

    private string NewImage(string name = "disk.qcow2")
    {
        string path = _dir[name];
        QemuImage.Create(path, 4 << 20, new ImageCreateOptions { ClusterSize = 4096 });
        return path;
    }

    [Test]
    public void SnapshotNameIsPassedAsOneArgumentWithTheTimeout()
    {
        string path = NewImage();
        var runner = new Mock<IQemuImgRunner>(MockBehavior.Strict);
        runner.Setup(r => r.Run(It.IsAny<IReadOnlyList<string>>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Returns(new QemuImgResult(0, "", ""));
        var ops = new QemuImgOperations(runner.Object);

        ops.CreateSnapshot(path, "a b; rm -rf / $(x)", new QemuImgOptions { Timeout = TimeSpan.FromSeconds(7) }, CancellationToken.None);

        runner.Verify(r => r.Run(
            It.Is<IReadOnlyList<string>>(a => a.SequenceEqual(new[] { "snapshot", "-q", "-c", "a b; rm -rf / $(x)",
                "json:{\"driver\":\"qcow2\",\"file\":{\"driver\":\"file\",\"filename\":\"" + path + "\"}}" })),
            TimeSpan.FromSeconds(7), CancellationToken.None), Times.Once);
    }

    [Test]
    public void FailureCarriesQemuImgsStderr()
    {
        string path = NewImage();
        var runner = new Mock<IQemuImgRunner>();
        runner.Setup(r => r.Run(It.IsAny<IReadOnlyList<string>>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Returns(new QemuImgResult(1, "", "qemu-img: Could not delete snapshot 'x': snapshot not found\n"));
        var ex = Assert.Throws<VirtException>(() => new QemuImgOperations(runner.Object).DeleteSnapshot(path, "x", null, CancellationToken.None));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OperationFailed));
            Assert.That(ex.Message, Is.EqualTo($"operation failed: qemu-img snapshot failed on '{path}' (exit code 1): qemu-img: Could not delete snapshot 'x': snapshot not found"));
        });
    }

    [Test]
    public void RunnerTimeoutReachesTheCallerUnchanged()
    {
        string path = NewImage();
        var timeout = new VirtException(VirtErrorCode.OperationTimeout, "qemu-img commit did not finish within 1 s and was killed");
        var runner = new Mock<IQemuImgRunner>();
        runner.Setup(r => r.Run(It.IsAny<IReadOnlyList<string>>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>())).Throws(timeout);
        Assert.That(() => new QemuImgOperations(runner.Object).Commit(path, null, CancellationToken.None), Throws.Exception.SameAs(timeout));
    }

    [Test]
    public void InvalidSnapshotNameNeverReachesQemuImg()
    {
        string path = NewImage();
        var runner = new Mock<IQemuImgRunner>(MockBehavior.Strict);
        var ex = Assert.Throws<VirtException>(() => new QemuImgOperations(runner.Object).CreateSnapshot(path, "bad\nname", null, CancellationToken.None));
        Assert.That(ex!.Message, Is.EqualTo("invalid argument: snapshot name 'bad\nname' is invalid: it must be non-empty and contain no control characters"));
    }

    [Test]
    public void ProcessRunnerKillsOnTimeout()
    {
        string pidFile = _dir["pid"];
        var runner = new ProcessQemuImgRunner("sh");
        var ex = Assert.Throws<VirtException>(() => runner.Run(["-c", $"echo $$ > '{pidFile}'; exec sleep 60"], TimeSpan.FromMilliseconds(500), CancellationToken.None));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OperationTimeout));
            Assert.That(ex.Message, Is.EqualTo("Timed out during operation: qemu-img -c did not finish within 0.5 s and was killed"));
            Assert.That(Directory.Exists("/proc/" + File.ReadAllText(pidFile).Trim()), Is.False, "the child is gone");
        });
    }

    [Test]
    public void ProcessRunnerKillsOnCancellation()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var ex = Assert.Throws<VirtException>(() => new ProcessQemuImgRunner("sleep").Run(["60"], TimeSpan.FromMinutes(1), cts.Token));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OperationAborted));
            Assert.That(ex.Message, Is.EqualTo("operation aborted: qemu-img 60 was cancelled"));
        });
    }

    [Test]
    public void MissingExecutableIsAClearError()
    {
        var ex = Assert.Throws<VirtException>(() => new ProcessQemuImgRunner("/nonexistent/qemu-img").Run(["info"], TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OperationFailed));
            Assert.That(ex.Message, Does.StartWith("operation failed: cannot run '/nonexistent/qemu-img': ").And.EndWith("; install qemu-utils"));
        });
    }

    [Test]
    public void InternalSnapshotsCreateApplyAndDelete()
    {
        string path = NewImage();
        Run("qemu-io", "-c", "write -P 0x11 0 64k", path);
        QemuImage.CreateSnapshot(path, "before");
        Run("qemu-io", "-c", "write -P 0x22 0 64k", path);
        QemuImage.CreateSnapshot(path, "after");
        Assert.That(QemuImage.ListSnapshots(path).Select(s => (s.Id, s.Name, s.VmStateSize)), Is.EqualTo(new[] { ("1", "before", 0L), ("2", "after", 0L) }));

        QemuImage.ApplySnapshot(path, "before");
        Assert.That(Run("qemu-io", "-c", "read -P 0x11 0 64k", path), Does.Contain("read 65536/65536 bytes"));

        QemuImage.DeleteSnapshot(path, "before");
        Assert.Multiple(() =>
        {
            Assert.That(QemuImage.ListSnapshots(path).Select(s => s.Name), Is.EqualTo(new[] { "after" }));
            Assert.That(Check(path), Does.Contain("No errors were found"));
        });

        var ex = Assert.Throws<VirtException>(() => QemuImage.DeleteSnapshot(path, "before"));
        Assert.That(ex!.Message, Does.StartWith($"operation failed: qemu-img snapshot failed on '{path}' (exit code 1): qemu-img: Could not delete snapshot 'before'"));
    }

    [Test]
    public void SnapshotOfAnImageInUseFailsWithQemusLockMessage()
    {
        string path = NewImage();
        string blockdev = $$$"""{"driver":"qcow2","node-name":"disk0","file":{"driver":"file","filename":"{{{path}}}"}}""";
        using var holder = Process.Start(new ProcessStartInfo("qemu-system-x86_64",
            ["-machine", "q35,accel=kvm:tcg", "-S", "-nodefaults", "-display", "none", "-m", "64", "-monitor", "stdio",
             "-blockdev", blockdev, "-device", "virtio-blk-pci,drive=disk0"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            WaitForMonitorPrompt(holder);

            var ex = Assert.Throws<VirtException>(() => QemuImage.CreateSnapshot(path, "s"));
            Assert.That(ex!.Message, Does.Contain("Failed to get \"write\" lock"));
        }
        finally
        {
            holder.Kill();
            holder.WaitForExit();
        }
    }

    /// <summary>Blocks until QEMU's HMP prompt appears: by then every -blockdev is open and locked.</summary>
    private static void WaitForMonitorPrompt(Process qemu)
    {
        var seen = new System.Text.StringBuilder();
        var reader = qemu.StandardOutput;
        var read = Task.Run(() =>
        {
            int c;
            while ((c = reader.Read()) >= 0)
            {
                seen.Append((char)c);
                if (seen.ToString().EndsWith("(qemu) ", StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        });

        // Generous bound that only guards against a hang; QEMU normally prompts within a second.
        Assert.That(read.Wait(TimeSpan.FromSeconds(120)) && read.Result, Is.True,
            $"QEMU never showed its monitor prompt; stderr: {(qemu.HasExited ? qemu.StandardError.ReadToEnd() : "(still running)")}");
    }

    [Test]
    public void CommitRebaseAndConvert()
    {
        string basePath = NewImage("base.qcow2");
        string newBase = NewImage("new-base.qcow2");
        string top = _dir["top.qcow2"];
        QemuImage.CreateOverlay(top, "base.qcow2", "qcow2");
        Run("qemu-io", "-c", "write -P 0x33 0 64k", top);

        QemuImage.Commit(top);
        Assert.That(Run("qemu-io", "-c", "read -P 0x33 0 64k", basePath), Does.Contain("read 65536/65536 bytes"));

        QemuImage.Rebase(top, "new-base.qcow2", "qcow2", unsafeRebase: true);
        ImageInfo rebased = QemuImage.GetInfo(top);
        Assert.Multiple(() =>
        {
            Assert.That(rebased.BackingFilename, Is.EqualTo("new-base.qcow2"));
            Assert.That(rebased.BackingFormat, Is.EqualTo("qcow2"));
        });

        // A safe rebase keeps what the guest sees: the (empty) new-base's zeros are written into the overlay.
        QemuImage.Rebase(top, "base.qcow2", "qcow2");
        QemuImage.Convert(top, _dir["flat.raw"], "raw");
        Assert.Multiple(() =>
        {
            Assert.That(QemuImage.GetInfo(_dir["flat.raw"]).Format, Is.EqualTo("raw"));
            Assert.That(Run("qemu-io", "-f", "raw", "-c", "read -P 0 0 64k", _dir["flat.raw"]), Does.Contain("read 65536/65536 bytes"));
            Assert.That(() => QemuImage.Convert(top, _dir["flat.raw"], "raw"), Throws.TypeOf<VirtException>()
                .With.Message.EqualTo($"Requested operation is not valid: '{_dir["flat.raw"]}' already exists; choose another name"));
        });

        _ = newBase;
    }
}
