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

    /// <summary>
    /// How long to wait for a job to conclude after job-cancel before giving up on it; a call can so
    /// wait its time limit plus this grace in all. A job given up on is dismissed when it concludes.
    /// </summary>
    public TimeSpan CancelGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Saves VM state to <paramref name="vmstateNode"/> and snapshots <paramref name="devices"/> as <paramref name="tag"/>.</summary>
    /// <exception cref="VirtException">See <see cref="RunJob"/>.</exception>
    public void SnapshotSave(string jobId, string tag, string vmstateNode, IReadOnlyList<string> devices, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunJob("snapshot-save", jobId, new SnapshotSaveArguments(jobId, tag, vmstateNode, devices), Json.SnapshotSaveArguments, progress, cancellationToken);

    /// <summary>Loads the internal snapshot <paramref name="tag"/> (VM state from <paramref name="vmstateNode"/>).</summary>
    /// <exception cref="VirtException">See <see cref="RunJob"/>.</exception>
    public void SnapshotLoad(string jobId, string tag, string vmstateNode, IReadOnlyList<string> devices, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunJob("snapshot-load", jobId, new SnapshotSaveArguments(jobId, tag, vmstateNode, devices), Json.SnapshotSaveArguments, progress, cancellationToken);

    /// <summary>As <see cref="SnapshotLoad"/>, then resumes the vCPUs when the load succeeded: <c>cont</c> goes out in the same
    /// write as the job's <c>job-dismiss</c>, one round trip where two calls take two. A failed load sends no <c>cont</c>.</summary>
    /// <exception cref="VirtException">See <see cref="RunJob"/>.</exception>
    /// <exception cref="QmpCommandException">QEMU refused <c>cont</c> after the load succeeded.</exception>
    public void SnapshotLoadThenCont(string jobId, string tag, string vmstateNode, IReadOnlyList<string> devices, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default) =>
        StartAndFollowJob("snapshot-load", jobId, new SnapshotSaveArguments(jobId, tag, vmstateNode, devices), Json.SnapshotSaveArguments, progress, cancellationToken,
            timeout: null, whenReady: null, thenCommand: "cont");

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
    /// concluded without error succeeded, even when cancellation came too late to stop it. Waits at
    /// most <paramref name="timeout"/> plus <see cref="CancelGrace"/>; a job still running then (or when
    /// this call fails otherwise) is left to a watch that dismisses it once it concludes, so its id
    /// can be used again.
    /// </summary>
    /// <exception cref="QmpCommandException">QEMU refused to start the job.</exception>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationFailed"/> with QEMU's error text when the job failed;
    /// <see cref="VirtErrorCode.OperationAborted"/> when cancelled; <see cref="VirtErrorCode.OperationTimeout"/> when it ran past
    /// <paramref name="timeout"/> (default from <see cref="QmpTimeouts.ForJob"/>) and was cancelled, or ignored job-cancel
    /// for <see cref="CancelGrace"/>. A cancelled job's error text other than QEMU's "cancelled" is kept in the message.</exception>
    /// <exception cref="QmpConnectionException">The connection broke meanwhile.</exception>
    public void RunJob<TArguments>(string command, string jobId, TArguments arguments, JsonTypeInfo<TArguments> argumentsType, IProgress<VirtProgress>? progress, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        StartAndFollowJob(command, jobId, arguments, argumentsType, progress, cancellationToken, timeout, whenReady: null, thenCommand: null);

    /// <summary>As <see cref="RunJob"/>; with <paramref name="whenReady"/> a job that reaches <c>ready</c> (an active commit,
    /// a mirror) runs it there and is then sent <c>job-complete</c>. When the action throws, or QEMU refuses job-complete,
    /// the job is cancelled and the call fails with that error (QEMU's text for a refusal) once the job concluded.
    /// <paramref name="thenCommand"/>, a command without arguments, is sent once the job succeeded (with its job-dismiss
    /// when the outcome needs no query-jobs); its error is thrown as <see cref="QmpCommandException"/>.</summary>
    private void StartAndFollowJob<TArguments>(string command, string jobId, TArguments arguments, JsonTypeInfo<TArguments> argumentsType, IProgress<VirtProgress>? progress, CancellationToken cancellationToken, TimeSpan? timeout, Action? whenReady, string? thenCommand)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        if (cancellationToken.IsCancellationRequested)
        {
            throw new VirtException(VirtErrorCode.OperationAborted, QmpMessages.JobCancelled(jobId, command));
        }

        var limit = timeout ?? QmpTimeouts.ForJob(command);
        using var events = Connection.SubscribeQueue(new QmpEventFilter(["JOB_STATUS_CHANGE"], jobId));
        OperationTrace.Mark("job-subscribe");
        Execute(command, arguments, argumentsType);
        OperationTrace.Mark(command + "-reply");
        bool settled = false;
        try
        {
            FollowJob(command, jobId, events, limit, progress, cancellationToken, whenReady, thenCommand, ref settled);
        }
        finally
        {
            if (!settled)
            {
                DismissWhenConcluded(jobId);
            }
        }
    }

    /// <summary>Follows a started job to its end. <paramref name="settled"/> becomes <c>true</c> once the job
    /// was dismissed or is gone from QEMU; while it is <c>false</c> the job is still there.</summary>
    private void FollowJob(string command, string jobId, QmpEventQueue events, TimeSpan limit, IProgress<VirtProgress>? progress, CancellationToken cancellationToken, Action? whenReady, string? thenCommand, ref bool settled)
    {
        using var wake = cancellationToken.Register(events.Wake);

        long started = Stopwatch.GetTimestamp();
        long? cancelledAt = null;
        bool timedOut = false;
        long lastPoll = 0;
        string status = "created";
        bool aborted = false;
        Exception? refusedCompletion = null;
        while (status is not ("concluded" or "null"))
        {
            if (whenReady is not null && status == "ready" && cancelledAt is null)
            {
                var action = whenReady;
                whenReady = null;
                refusedCompletion = TryComplete(jobId, action);
                if (refusedCompletion is not null)
                {
                    cancelledAt = Stopwatch.GetTimestamp();
                    TryJobVerb(JobCancel, jobId);
                }
            }

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
                aborted |= status == "aborting";
            }
        }

        OperationTrace.Mark("job-events");
        if (status == "concluded" && !aborted && cancelledAt is null && progress is null)
        {
            // QEMU moves every job that fails or is cancelled through "aborting" (job_update_rc), and the queue saw
            // every event since before the command: this job succeeded, and only needs dismissing.
            settled = true;
            DismissThen(jobId, thenCommand);
            OperationTrace.Mark(thenCommand is null ? "dismiss" : "dismiss-then");
            return;
        }

        var info = status == "concluded" ? FindJobAndDismiss(jobId) : null;
        OperationTrace.Mark("query-jobs-dismiss");

        settled = true;

        if (info is null)
        {
            throw new VirtException(VirtErrorCode.OperationFailed, QmpMessages.JobVanished(jobId, command));
        }

        if (refusedCompletion is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(refusedCompletion);
        }

        if (info.Error is null)
        {
            progress?.Report(new VirtProgress(command, info.TotalProgress, info.TotalProgress));
            if (thenCommand is not null)
            {
                Execute(thenCommand);
            }

            return;
        }

        if (cancelledAt is not null)
        {
            // QEMU says "Operation canceled" for a cancelled job; any other text is why the job failed first.
            string? failure = info.Error.Contains("cancel", StringComparison.OrdinalIgnoreCase) ? null : info.Error;
            throw timedOut
                ? new VirtException(VirtErrorCode.OperationTimeout, QmpMessages.JobTimeout(jobId, command, limit, failure))
                : new VirtException(VirtErrorCode.OperationAborted, QmpMessages.JobCancelled(jobId, command, failure));
        }

        throw new VirtException(VirtErrorCode.OperationFailed, QmpMessages.JobFailed(jobId, command, info.Error));
    }

    /// <summary>
    /// Best effort for a job left behind (it ignored job-cancel, or the wait failed): dismiss it now
    /// if it already concluded, else when its JOB_STATUS_CHANGE says it did. Never throws.
    /// </summary>
    private void DismissWhenConcluded(string jobId)
    {
        if (Connection.State != QmpState.Running)
        {
            return;
        }

        IDisposable? watch = null;
        int dismissed = 0;
        void DismissOnce()
        {
            if (Interlocked.Exchange(ref dismissed, 1) == 0)
            {
                watch?.Dispose();
                TryDismiss(jobId);
            }
        }

        // Commands cannot be sent from a handler: the dismiss runs on the thread pool.
        watch = Connection.Subscribe(
            new QmpEventFilter(["JOB_STATUS_CHANGE"], jobId),
            e =>
            {
                if (e.GetDataString("status") is "concluded" or "null")
                {
                    ThreadPool.QueueUserWorkItem(_ => DismissOnce());
                }
            },
            _ => watch?.Dispose());

        // It may have concluded before the watch began.
        if (TryDismiss(jobId))
        {
            Interlocked.Exchange(ref dismissed, 1);
            watch.Dispose();
        }
    }

    private bool TryDismiss(string jobId)
    {
        try
        {
            JobDismiss(jobId);
            return true;
        }
        catch (VirtException)
        {
            // Not concluded yet, already gone, or the connection broke: nothing more to do now.
            return false;
        }
    }

    /// <summary>Runs the caller's action, then sends job-complete; returns what failed, or null when both went through.</summary>
    private Exception? TryComplete(string jobId, Action whenReady)
    {
        try
        {
            whenReady();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return e;
        }

        try
        {
            JobComplete(jobId);
            return null;
        }
        catch (QmpCommandException e)
        {
            return new VirtException(VirtErrorCode.OperationFailed, QmpMessages.JobFailed(jobId, "job-complete", e.Description), e);
        }
    }

    private JobInfo? FindJob(string jobId) => FindJob(QueryJobs(), jobId);

    private static JobInfo? FindJob(IReadOnlyList<JobInfo> jobs, string jobId)
    {
        foreach (var job in jobs)
        {
            if (job.Id == jobId)
            {
                return job;
            }
        }

        return null;
    }

    /// <summary>
    /// A concluded job's outcome (<c>null</c> when QEMU does not know it), then job-dismiss, in one round trip: QEMU
    /// answers query-jobs before it runs job-dismiss. A refused dismiss is not an error (see <see cref="TryJobVerb"/>).
    /// </summary>
    private JobInfo? FindJobAndDismiss(string jobId)
    {
        var (jobs, dismissed) = Connection.ExecuteInOrder("query-jobs", null, null, "job-dismiss", new JobIdArguments(jobId), Json.JobIdArguments);
        dismissed.Dispose();
        using (jobs)
        {
            QmpConnection.ThrowIfError("query-jobs", jobs);
            return FindJob(ReadReturn("query-jobs", jobs, Json.ListJobInfo), jobId);
        }
    }

    /// <summary>job-dismiss for a job that succeeded, with <paramref name="thenCommand"/> (if any) in the same write. A refused
    /// dismiss is not an error (see <see cref="TryJobVerb"/>); a refused <paramref name="thenCommand"/> is.</summary>
    private void DismissThen(string jobId, string? thenCommand)
    {
        if (thenCommand is null)
        {
            TryJobVerb(JobDismiss, jobId);
            return;
        }

        var (dismissed, then) = Connection.ExecuteInOrder("job-dismiss", new JobIdArguments(jobId), Json.JobIdArguments, thenCommand, null, null);
        dismissed.Dispose();
        QmpConnection.ThrowIfError(thenCommand, then);
        then.Dispose();
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
