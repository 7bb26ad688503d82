using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>
/// block-commit and block-stream on a real QEMU 7.2 over the chain b &lt;- m &lt;- t (<see cref="BlockJobChain"/>): what the
/// images hold afterwards is read offline with qemu-io, the chain from the image headers.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class BlockJobTests
{
    [Test]
    public void AnIntermediateCommitWritesTheMiddleLayerIntoTheBaseAndTheTopBacksOntoTheBase()
    {
        using var chain = BlockJobChain.Start();

        chain.Client.BlockCommit("c1", "t", chain.NodeOf(chain.Middle), chain.NodeOf(chain.Base));

        Assert.That(chain.Client.QueryJobs(), Is.Empty, "the job is dismissed");
        chain.Stop();
        Assert.Multiple(() =>
        {
            Assert.That(BlockJobChain.BackingOf(chain.Top), Is.EqualTo(chain.Base));
            Assert.That(BlockJobChain.Reads(chain.Base, 0x22, 1), Is.True, "m's data is in b");
            Assert.That(BlockJobChain.Reads(chain.Base, 0x11, 0), Is.True, "b keeps its own data");
            Assert.That(BlockJobChain.Reads(chain.Top, 0x11, 0) && BlockJobChain.Reads(chain.Top, 0x22, 1) && BlockJobChain.Reads(chain.Top, 0x33, 2), Is.True, "the disk reads as before");
        });
    }

    [Test]
    public void AnActiveCommitPivotsTheDiskToTheBaseWhichHoldsEveryLayersData()
    {
        using var chain = BlockJobChain.Start();

        chain.Client.BlockCommitActive("c1", "t", chain.NodeOf(chain.Base));

        Assert.Multiple(() =>
        {
            Assert.That(chain.DeviceFile(), Is.EqualTo(chain.Base), "the disk now reads b");
            Assert.That(chain.Client.QueryJobs(), Is.Empty, "the job is dismissed");
        });
        chain.Stop();
        Assert.Multiple(() =>
        {
            Assert.That(BlockJobChain.BackingOf(chain.Base), Is.Null);
            Assert.That(BlockJobChain.Reads(chain.Base, 0x11, 0) && BlockJobChain.Reads(chain.Base, 0x22, 1) && BlockJobChain.Reads(chain.Base, 0x33, 2), Is.True);
        });
    }

    [Test]
    public void AStreamCopiesTheMiddleLayerIntoTheTopWhichThenBacksOntoTheBase()
    {
        using var chain = BlockJobChain.Start();

        chain.Client.BlockStream("s1", "t", chain.NodeOf(chain.Base));

        Assert.That(chain.Client.QueryJobs(), Is.Empty, "the job is dismissed");
        chain.Stop();
        Assert.Multiple(() =>
        {
            Assert.That(BlockJobChain.BackingOf(chain.Top), Is.EqualTo(chain.Base));
            Assert.That(BlockJobChain.Reads(chain.Top, 0x11, 0) && BlockJobChain.Reads(chain.Top, 0x22, 1) && BlockJobChain.Reads(chain.Top, 0x33, 2), Is.True);
            Assert.That(BlockJobChain.Reads(chain.Base, 0x22, 1), Is.False, "b is untouched");
        });
    }

    [Test]
    public void AStreamWithoutBaseLeavesTheTopStandingAlone()
    {
        using var chain = BlockJobChain.Start();

        chain.Client.BlockStream("s1", "t", baseNode: null);

        chain.Stop();
        Assert.Multiple(() =>
        {
            Assert.That(BlockJobChain.BackingOf(chain.Top), Is.Null);
            Assert.That(BlockJobChain.Reads(chain.Top, 0x11, 0) && BlockJobChain.Reads(chain.Top, 0x22, 1) && BlockJobChain.Reads(chain.Top, 0x33, 2), Is.True);
        });
    }

    [Test]
    public void ACommitReportsProgressWhileItRunsAndEndsAtTheTotal()
    {
        using var chain = BlockJobChain.Start(middleData: 8);
        chain.Client.ProgressInterval = TimeSpan.FromMilliseconds(50);
        var progress = new ListProgress();

        chain.Client.BlockCommit("c1", "t", chain.NodeOf(chain.Middle), chain.NodeOf(chain.Base), speed: 16 * 1024 * 1024, progress: progress);

        Assert.Multiple(() =>
        {
            Assert.That(progress.Reports, Has.Count.GreaterThan(1), "reports while running, then the end");
            Assert.That(progress.Reports.Select(r => r.Operation).Distinct(), Is.EqualTo(new[] { "block-commit" }));
            Assert.That(progress.Reports.Select(r => r.Current), Is.Ordered, "progress only grows");
            Assert.That(progress.Reports[0].Current, Is.LessThan(progress.Reports[^1].Current), "a report came before the end");
            Assert.That(progress.Reports[^1].Current, Is.EqualTo(progress.Reports[^1].Total).And.GreaterThan(0));
        });
    }

    [Test]
    public void ACancelledIntermediateCommitLeavesTheChainAsItWas()
    {
        using var chain = BlockJobChain.Start(middleData: 8);
        chain.Client.ProgressInterval = TimeSpan.FromMilliseconds(50);
        using var cancel = new CancellationTokenSource();
        var progress = new ListProgress(_ => cancel.Cancel());

        var ex = Assert.Throws<VirtException>(() =>
            chain.Client.BlockCommit("c1", "t", chain.NodeOf(chain.Middle), chain.NodeOf(chain.Base), speed: 1024 * 1024, progress: progress, cancellationToken: cancel.Token))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.OperationAborted));
            Assert.That(ex.Message, Does.Contain("QEMU job 'c1' (block-commit) was cancelled"));
            Assert.That(chain.Client.QueryJobs(), Is.Empty, "the job is dismissed");
        });
        chain.Stop();
        Assert.Multiple(() =>
        {
            Assert.That(BlockJobChain.BackingOf(chain.Top), Is.EqualTo(chain.Middle), "t still backs onto m");
            Assert.That(BlockJobChain.Reads(chain.Top, 0x11, 0) && BlockJobChain.Reads(chain.Top, 0x22, 1) && BlockJobChain.Reads(chain.Top, 0x33, 2), Is.True);
        });
    }

    [Test]
    public void ACancelledActiveCommitLeavesTheDiskOnTheTop()
    {
        using var chain = BlockJobChain.Start();
        chain.Client.ProgressInterval = TimeSpan.FromMilliseconds(50);
        using var cancel = new CancellationTokenSource();
        var progress = new ListProgress(_ => cancel.Cancel());

        var ex = Assert.Throws<VirtException>(() =>
            chain.Client.BlockCommitActive("c1", "t", chain.NodeOf(chain.Base), speed: 64 * 1024, progress: progress, cancellationToken: cancel.Token))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.OperationAborted));
            Assert.That(chain.DeviceFile(), Is.EqualTo(chain.Top), "no pivot");
            Assert.That(chain.Client.QueryJobs(), Is.Empty, "the job is dismissed");
        });
    }

    [Test]
    public void ACommitOntoANodeThatIsNotBelowTheTopIsRefusedByQemu()
    {
        using var chain = BlockJobChain.Start();

        var ex = Assert.Throws<QmpCommandException>(() => chain.Client.BlockCommit("c1", "t", chain.NodeOf(chain.Base), chain.NodeOf(chain.Middle)))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Command, Is.EqualTo("block-commit"));
            Assert.That(ex.Description, Does.Contain("is not in this backing file chain").Or.Contain("not below"), ex.Description);
            Assert.That(chain.Client.QueryJobs(), Is.Empty);
        });
    }

    [Test]
    public void QemuKilledDuringACommitLeavesAChainThatStillReadsAsBefore()
    {
        using var chain = BlockJobChain.Start(middleData: 8);
        chain.Client.ProgressInterval = TimeSpan.FromMilliseconds(50);
        var progress = new ListProgress(_ => chain.Kill());

        Assert.Throws<QmpConnectionException>(() =>
            chain.Client.BlockCommit("c1", "t", chain.NodeOf(chain.Middle), chain.NodeOf(chain.Base), speed: 1024 * 1024, progress: progress));

        Assert.Multiple(() =>
        {
            Assert.That(BlockJobChain.BackingOf(chain.Top), Is.EqualTo(chain.Middle), "the headers still chain t to m");
            Assert.That(BlockJobChain.Reads(chain.Top, 0x11, 0) && BlockJobChain.Reads(chain.Top, 0x22, 1) && BlockJobChain.Reads(chain.Top, 0x33, 2), Is.True,
                "through t the disk reads as before (b alone may hold part of m's data: QEMU-FACTS.md section 7)");
        });
    }

    /// <summary>Keeps every report, synchronously, and runs <paramref name="onReport"/> on the first.</summary>
    private sealed class ListProgress(Action<VirtProgress>? onReport = null) : IProgress<VirtProgress>
    {
        public List<VirtProgress> Reports { get; } = [];

        public void Report(VirtProgress value)
        {
            Reports.Add(value);
            if (Reports.Count == 1)
            {
                onReport?.Invoke(value);
            }
        }
    }
}
