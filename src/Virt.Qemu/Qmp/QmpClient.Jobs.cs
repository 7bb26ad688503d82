using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Virt.Qemu.Qmp;

// Background jobs (snapshot-save/load/delete, blockdev-create): started by a command, followed
// through JOB_STATUS_CHANGE events, finished with query-jobs (outcome, error) and job-dismiss.
internal sealed partial class QmpClient
{
    /// <summary>How often progress is polled with query-jobs while a job runs and someone listens.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long to wait for a job to conclude after job-cancel before giving up on it.</summary>
    public TimeSpan CancelGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Saves VM state to <paramref name="vmstateNode"/> and snapshots <paramref name="devices"/> as <paramref name="tag"/>.</summary>
    /// <exception cref="VirtException">See <see cref="RunJob"/>.</exception>
    public void SnapshotSave(string jobId, string tag, string vmstateNode, IReadOnlyList<string> devices, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunJob("snapshot-save", jobId, new SnapshotSaveArguments(jobId, tag, vmstateNode, devices), Json.SnapshotSaveArguments, progress, cancellationToken);

    /// <summary>Loads the internal snapshot <paramref name="tag"/> (VM state from <paramref name="vmstateNode"/>).</summary>
    /// <exception cref="VirtException">See <see cref="RunJob"/>.</exception>
    public void SnapshotLoad(string jobId, string tag, string vmstateNode, IReadOnlyList<string> devices, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunJob("snapshot-load", jobId, new SnapshotSaveArguments(jobId, tag, vmstateNode, devices), Json.SnapshotSaveArguments, progress, cancellationToken);

    /// <summary>Deletes the internal snapshot <paramref name="tag"/> from <paramref name="devices"/>.</summary>
    /// <exception cref="VirtException">See <see cref="RunJob"/>.</exception>
    public void SnapshotDelete(string jobId, string tag, IReadOnlyList<string> devices, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunJob("snapshot-delete", jobId, new SnapshotDeleteArguments(jobId, tag, devices), Json.SnapshotDeleteArguments, progress, cancellationToken);

    /// <summary>Creates an image through a block driver; <paramref name="options"/> is QEMU's <c>BlockdevCreateOptions</c>.</summary>
    /// <exception cref="VirtException">See <see cref="RunJob"/>.</exception>
    public void BlockdevCreate(string jobId, JsonElement options, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunJob("blockdev-create", jobId, new BlockdevCreateArguments(jobId, options), Json.BlockdevCreateArguments, progress, cancellationToken);

    /// <summary>
    /// Starts a job with <paramref name="command"/> and waits for it to conclude, reporting progress
    /// while it runs. Cancellation sends job-cancel and waits for the job to conclude. A job that
    /// concluded without error succeeded, even when cancellation came too late to stop it.
    /// </summary>
    /// <exception cref="QmpCommandException">QEMU refused to start the job.</exception>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationFailed"/> with QEMU's error text when the job failed;
    /// <see cref="VirtErrorCode.OperationAborted"/> when cancelled; <see cref="VirtErrorCode.OperationTimeout"/> when it ran past
    /// <paramref name="timeout"/> (default from <see cref="QmpTimeouts.ForJob"/>) and was cancelled.</exception>
    /// <exception cref="QmpConnectionException">The connection broke meanwhile.</exception>
    public void RunJob<TArguments>(string command, string jobId, TArguments arguments, JsonTypeInfo<TArguments> argumentsType, IProgress<VirtProgress>? progress, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        if (cancellationToken.IsCancellationRequested)
        {
            throw new VirtException(VirtErrorCode.OperationAborted, QmpMessages.JobCancelled(jobId, command));
        }

        var limit = timeout ?? QmpTimeouts.ForJob(command);
        using var events = Connection.SubscribeQueue(new QmpEventFilter(["JOB_STATUS_CHANGE"], jobId));
        Execute(command, arguments, argumentsType);
        using var wake = cancellationToken.Register(events.Wake);

        long started = Stopwatch.GetTimestamp();
        long? cancelledAt = null;
        bool timedOut = false;
        long lastPoll = 0;
        string status = "created";
        while (status is not ("concluded" or "null"))
        {
            if (cancelledAt is null && (cancellationToken.IsCancellationRequested || Stopwatch.GetElapsedTime(started) >= limit))
            {
                timedOut = !cancellationToken.IsCancellationRequested;
                cancelledAt = Stopwatch.GetTimestamp();
                TryJobVerb(JobCancel, jobId);
            }

            var left = cancelledAt is { } at ? CancelGrace - Stopwatch.GetElapsedTime(at) : limit - Stopwatch.GetElapsedTime(started);
            if (cancelledAt is not null && left <= TimeSpan.Zero)
            {
                throw new VirtException(VirtErrorCode.OperationTimeout, QmpMessages.JobIgnoredCancel(jobId, command, CancelGrace));
            }

            if (progress is not null && status == "running" && Stopwatch.GetElapsedTime(lastPoll) >= ProgressInterval)
            {
                lastPoll = Stopwatch.GetTimestamp();
                ReportProgress(progress, command, jobId);
            }

            var untilPoll = ProgressInterval - Stopwatch.GetElapsedTime(lastPoll);
            var slice = progress is not null && status == "running" && untilPoll < left ? untilPoll : left;
            if (events.Take(slice) is { } e)
            {
                status = e.GetDataString("status") ?? status;
            }
        }

        var info = status == "concluded" ? FindJob(jobId) : null;
        if (status == "concluded")
        {
            TryJobVerb(JobDismiss, jobId);
        }

        if (info is null)
        {
            throw new VirtException(VirtErrorCode.OperationFailed, QmpMessages.JobVanished(jobId, command));
        }

        if (info.Error is null)
        {
            progress?.Report(new VirtProgress(command, info.TotalProgress, info.TotalProgress));
            return;
        }

        if (cancelledAt is not null)
        {
            throw timedOut
                ? new VirtException(VirtErrorCode.OperationTimeout, QmpMessages.JobTimeout(jobId, command, limit))
                : new VirtException(VirtErrorCode.OperationAborted, QmpMessages.JobCancelled(jobId, command));
        }

        throw new VirtException(VirtErrorCode.OperationFailed, QmpMessages.JobFailed(jobId, command, info.Error));
    }

    private JobInfo? FindJob(string jobId)
    {
        foreach (var job in QueryJobs())
        {
            if (job.Id == jobId)
            {
                return job;
            }
        }

        return null;
    }

    private void ReportProgress(IProgress<VirtProgress> progress, string command, string jobId)
    {
        if (FindJob(jobId) is { } job)
        {
            progress.Report(new VirtProgress(command, job.CurrentProgress, job.TotalProgress));
        }
    }

    /// <summary>Runs job-cancel or job-dismiss; QEMU refusing (the job already moved on) is not an error here.</summary>
    private static void TryJobVerb(Action<string> verb, string jobId)
    {
        try
        {
            verb(jobId);
        }
        catch (QmpCommandException)
        {
            // The job is already past the state the verb needs; its final status tells the outcome.
        }
    }
}
