namespace Virt.Qemu.Qmp;

// Block jobs that merge the layers of a backing chain (deleting external snapshots): block-commit and block-stream,
// followed like every other job by RunJob. They are started with auto-dismiss off, so a concluded job stays in
// query-jobs until its outcome (QEMU's error text) is read; QEMU's default would dismiss it at once (QEMU-FACTS.md 6).
internal sealed partial class QmpClient
{
    /// <summary>
    /// Commits an intermediate layer: the data of <paramref name="topNode"/> and of every layer between it and
    /// <paramref name="baseNode"/> is written into <paramref name="baseNode"/>, and the layer above
    /// <paramref name="topNode"/> is made to back onto <paramref name="baseNode"/> (QEMU rewrites its header).
    /// The nodes taken out of the chain stay in QEMU until deleted with <see cref="BlockdevDel"/> when they were added
    /// by name; implicit ones (opened from an image header) go by themselves.
    /// </summary>
    /// <param name="jobId">The job's id.</param>
    /// <param name="device">The root node of the chain (the node the disk device is attached to).</param>
    /// <param name="topNode">The node to commit, below the root.</param>
    /// <param name="baseNode">The node to commit into, below <paramref name="topNode"/>.</param>
    /// <param name="speed">The most bytes per second the job copies; 0 for no limit.</param>
    /// <param name="progress">Bytes done of the bytes to copy, from query-jobs while the job runs.</param>
    /// <param name="cancellationToken">Cancels the job (job-cancel); the chain is then unchanged, though the base may
    /// already hold part of the data.</param>
    /// <exception cref="QmpCommandException">QEMU refused to start the job (for example a base that is not below the top:
    /// "'X' is not in this backing file chain").</exception>
    /// <exception cref="VirtException">As <see cref="RunJob"/>.</exception>
    public void BlockCommit(string jobId, string device, string topNode, string baseNode, long speed = 0, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topNode);
        ArgumentException.ThrowIfNullOrEmpty(baseNode);
        RunJob("block-commit", jobId, new BlockCommitArguments(jobId, device, topNode, baseNode, Speed(speed)), Json.BlockCommitArguments, progress, cancellationToken);
    }

    /// <summary>
    /// Commits the active layer (the root, <paramref name="device"/>) into <paramref name="baseNode"/> and pivots: the
    /// job copies the data, reaches <c>ready</c> (from then on QEMU mirrors every guest write into both), is sent
    /// <c>job-complete</c> and ends with the disk device attached to <paramref name="baseNode"/>. The old root stays
    /// in QEMU until deleted with <see cref="BlockdevDel"/>.
    /// </summary>
    /// <param name="jobId">The job's id.</param>
    /// <param name="device">The root node of the chain.</param>
    /// <param name="baseNode">The node to commit into.</param>
    /// <param name="speed">The most bytes per second the job copies; 0 for no limit.</param>
    /// <param name="progress">Bytes done of the bytes to copy, from query-jobs while the job runs.</param>
    /// <param name="cancellationToken">Cancels the job (job-cancel), also once ready: the device stays on the old root.</param>
    /// <param name="beforePivot">Runs once the job is ready, before job-complete: from then until the pivot QEMU writes every
    /// guest write into both, so the base already holds everything the disk reads (a caller records the switch here, so a
    /// crash on either side of the pivot leaves it naming a file that holds the data). When it throws the job is
    /// cancelled and the exception is rethrown.</param>
    /// <exception cref="QmpCommandException">QEMU refused to start the job.</exception>
    /// <exception cref="VirtException">As <see cref="BlockCommit"/>; <see cref="VirtErrorCode.OperationFailed"/> with
    /// QEMU's text also when it refused job-complete (the job is cancelled then, nothing pivots).</exception>
    public void BlockCommitActive(string jobId, string device, string baseNode, long speed = 0, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default,
        Action? beforePivot = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseNode);
        StartAndFollowJob("block-commit", jobId, new BlockCommitArguments(jobId, device, null, baseNode, Speed(speed)), Json.BlockCommitArguments, progress, cancellationToken,
            timeout: null, whenReady: beforePivot ?? (() => { }), thenCommand: null);
    }

    /// <summary>
    /// Streams into <paramref name="device"/> the data of every layer below it down to (not including)
    /// <paramref name="baseNode"/>, then makes it back onto <paramref name="baseNode"/> (QEMU rewrites its header); with
    /// no base the image no longer has a backing file at all. The layers between stay intact, so a stream stopped part
    /// way leaves a valid chain.
    /// </summary>
    /// <param name="jobId">The job's id.</param>
    /// <param name="device">The node to stream into: the root, or a node below it.</param>
    /// <param name="baseNode">The node to keep as backing, or null to copy the whole chain.</param>
    /// <param name="speed">The most bytes per second the job copies; 0 for no limit.</param>
    /// <param name="progress">Bytes done of the bytes to copy, from query-jobs while the job runs.</param>
    /// <param name="cancellationToken">Cancels the job (job-cancel); the chain is then unchanged.</param>
    /// <exception cref="QmpCommandException">QEMU refused to start the job.</exception>
    /// <exception cref="VirtException">As <see cref="BlockCommit"/>.</exception>
    public void BlockStream(string jobId, string device, string? baseNode, long speed = 0, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunJob("block-stream", jobId, new BlockStreamArguments(jobId, device, baseNode, Speed(speed)), Json.BlockStreamArguments, progress, cancellationToken);

    private static long? Speed(long speed) => speed > 0 ? speed : speed == 0 ? null : throw new ArgumentOutOfRangeException(nameof(speed), speed, "a speed cannot be negative");

    /// <summary>Asks a job in the <c>ready</c> state to finish (an active commit pivots).</summary>
    public void JobComplete(string jobId) => Execute("job-complete", new JobIdArguments(jobId), Json.JobIdArguments);
}
