using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Virt.Qemu.Qmp;

// Migration to and from an open file (QEMU 7.2 has no file: URI): the descriptor goes to QEMU with getfd
// (SCM_RIGHTS), then migrate / migrate-incoming fd:NAME, followed through MIGRATION events (the events capability)
// with query-migrate for progress and for the error text (QEMU-FACTS.md section 4).
internal sealed partial class QmpClient
{
    /// <summary>The name the outgoing stream's descriptor is filed under in QEMU.</summary>
    public const string OutgoingFdName = "virt-migrate-out";

    /// <summary>The name the incoming stream's descriptor is filed under in QEMU.</summary>
    public const string IncomingFdName = "virt-migrate-in";

    /// <summary>QEMU 7.2's default is 128 MiB/s; a stream into a local file should not be throttled (QEMU-FACTS.md).</summary>
    public const long UnthrottledBandwidth = 1L << 40;

    private static QmpMigrationJsonContext MigrationJson => QmpMigrationJsonContext.Default;

    /// <summary>The bandwidth limit a migration to a file sets (bytes per second; <see cref="UnthrottledBandwidth"/> unless changed).</summary>
    public long MigrationBandwidth { get; set; } = UnthrottledBandwidth;

    /// <summary>How long a migration to or from a file may run before it is cancelled (outgoing) or abandoned (incoming).</summary>
    public TimeSpan MigrationLimit { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Passes <paramref name="fd"/> to QEMU, filed as <paramref name="name"/> (<c>getfd</c>; a descriptor already
    /// filed under that name is closed by QEMU). The caller keeps its own descriptor.</summary>
    /// <exception cref="QmpCommandException">QEMU refused (for example a name starting with a digit).</exception>
    /// <exception cref="QmpConnectionException">The connection is broken.</exception>
    /// <exception cref="VirtException">Timed out or cancelled.</exception>
    public void GetFd(string name, SafeHandle fd, CancellationToken cancellationToken = default) =>
        Connection.ExecuteWithFd("getfd", new FdNameArguments(name), MigrationJson.FdNameArguments, fd, cancellationToken: cancellationToken).Dispose();

    /// <summary>Closes the descriptor QEMU holds as <paramref name="name"/> (<c>closefd</c>).</summary>
    /// <exception cref="QmpCommandException">QEMU holds no descriptor of that name.</exception>
    /// <exception cref="QmpConnectionException">The connection is broken.</exception>
    public void CloseFd(string name) => Execute("closefd", new FdNameArguments(name), MigrationJson.FdNameArguments);

    /// <summary>
    /// Writes the VM's state into <paramref name="file"/> (open for writing) with <c>migrate fd:</c>, after turning on
    /// MIGRATION events and setting the bandwidth limit (<see cref="MigrationBandwidth"/>). A running guest keeps running while RAM is copied and is
    /// stopped by QEMU at the end; when this returns, QEMU's status is <c>postmigrate</c> (its disks inactive until
    /// <c>cont</c>), and QEMU refuses another migration until the guest ran. Cancellation (or
    /// <see cref="MigrationLimit"/>) sends <c>migrate_cancel</c> and waits for the migration to end; a guest that ran
    /// before runs again then. A migration that completed before the cancel reached it counts as done.
    /// </summary>
    /// <exception cref="QmpCommandException">QEMU refused to start (its text, for example the "cannot migrate twice" rule).</exception>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationFailed"/> with QEMU's error text when the migration
    /// failed; <see cref="VirtErrorCode.OperationAborted"/> when cancelled; <see cref="VirtErrorCode.OperationTimeout"/> past
    /// the limit, or when QEMU ignored migrate_cancel for <see cref="CancelGrace"/>.</exception>
    /// <exception cref="QmpConnectionException">The connection broke meanwhile.</exception>
    /// <param name="file">The open file.</param>
    /// <param name="progress">Receives RAM copied of RAM to copy.</param>
    /// <param name="cancellationToken">Cancels the migration.</param>
    /// <param name="step">Called after <c>getfd</c> ("getfd"), once the migration started ("migrate") and when it
    /// completed ("completed"), for the fault tests; what it throws ends the call, a started migration cancelled first.</param>
    public void MigrateToFile(SafeFileHandle file, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default, Action<string>? step = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (cancellationToken.IsCancellationRequested)
        {
            throw new VirtException(VirtErrorCode.OperationAborted, QmpMigrationMessages.Cancelled(Outgoing));
        }

        using var events = Connection.SubscribeQueue(new QmpEventFilter(["MIGRATION"]));
        MigrateSetCapabilities([new MigrationCapabilityStatus("events", true)]);
        Execute("migrate-set-parameters", new MaxBandwidthArguments(MigrationBandwidth), MigrationJson.MaxBandwidthArguments);
        GetFd(OutgoingFdName, file, cancellationToken);
        try
        {
            step?.Invoke("getfd");
        }
        catch
        {
            TryCloseFd(OutgoingFdName);
            throw;
        }

        try
        {
            Execute("migrate", new MigrateArguments("fd:" + OutgoingFdName), Json.MigrateArguments);
        }
        catch (QmpCommandException)
        {
            // QEMU takes the descriptor out of its table only once the migration starts.
            TryCloseFd(OutgoingFdName);
            throw;
        }

        try
        {
            step?.Invoke("migrate");
        }
        catch
        {
            // The stream's file may go: QEMU must not write on into it.
            TryAbandonOutgoing(events);
            throw;
        }

        FollowOutgoing(events, progress, cancellationToken);
        step?.Invoke("completed");
    }

    /// <summary>
    /// Loads the VM's state from <paramref name="file"/> (open for reading, at the stream's start) into a QEMU started
    /// with <c>-incoming defer</c>: MIGRATION events on, <c>migrate-incoming fd:</c>, then waits for completion (QEMU is
    /// then <c>paused</c>: <c>cont</c> runs the guest). Progress is QEMU's read position in the file (the descriptor
    /// shares its offset). QEMU cannot stop an incoming migration, and QEMU 7.2 exits when one fails: on failure,
    /// cancellation or <see cref="MigrationLimit"/> the caller must end this QEMU.
    /// </summary>
    /// <exception cref="QmpCommandException">QEMU refused to start (for example it was not started with <c>-incoming defer</c>).</exception>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationFailed"/> when the load failed or QEMU exited;
    /// <see cref="VirtErrorCode.OperationAborted"/> when cancelled; <see cref="VirtErrorCode.OperationTimeout"/> past the limit.</exception>
    /// <param name="file">The open file.</param>
    /// <param name="progress">Receives the read position.</param>
    /// <param name="cancellationToken">Abandons the load.</param>
    /// <param name="step">Called after <c>getfd</c> ("getfd"), once the load started ("migrate") and when it completed
    /// ("completed"), for the fault tests; what it throws ends the call (the caller ends this QEMU).</param>
    public void MigrateIncomingFromFile(SafeFileHandle file, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default, Action<string>? step = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (cancellationToken.IsCancellationRequested)
        {
            throw new VirtException(VirtErrorCode.OperationAborted, QmpMigrationMessages.Cancelled(Incoming));
        }

        long size = RandomAccess.GetLength(file);
        using var events = Connection.SubscribeQueue(new QmpEventFilter(["MIGRATION"]));
        MigrateSetCapabilities([new MigrationCapabilityStatus("events", true)]);
        GetFd(IncomingFdName, file, cancellationToken);
        try
        {
            step?.Invoke("getfd");
        }
        catch
        {
            TryCloseFd(IncomingFdName);
            throw;
        }

        try
        {
            Execute("migrate-incoming", new MigrateArguments("fd:" + IncomingFdName), Json.MigrateArguments);
        }
        catch (QmpCommandException)
        {
            TryCloseFd(IncomingFdName);
            throw;
        }

        step?.Invoke("migrate");
        try
        {
            FollowIncoming(events, file, size, progress, cancellationToken);
            step?.Invoke("completed");
        }
        catch (QmpConnectionException e)
        {
            throw new VirtException(VirtErrorCode.OperationFailed, QmpMigrationMessages.IncomingExited(e.Reason), e);
        }
    }

    private const string Outgoing = "to a file";
    private const string Incoming = "from a file";

    private void FollowOutgoing(QmpEventQueue events, IProgress<VirtProgress>? progress, CancellationToken cancellationToken)
    {
        using var wake = cancellationToken.Register(events.Wake);
        long started = Stopwatch.GetTimestamp();
        long? cancelledAt = null;
        bool timedOut = false;
        string status = "setup";
        while (status is not ("completed" or "failed" or "cancelled"))
        {
            if (cancelledAt is null && (cancellationToken.IsCancellationRequested || Stopwatch.GetElapsedTime(started) >= MigrationLimit))
            {
                timedOut = !cancellationToken.IsCancellationRequested;
                cancelledAt = Stopwatch.GetTimestamp();
                try
                {
                    Execute("migrate_cancel");
                }
                catch (QmpCommandException)
                {
                    // Nothing to cancel any more: the final status tells the outcome.
                }
            }

            if (cancelledAt is { } at && Stopwatch.GetElapsedTime(at) >= CancelGrace)
            {
                throw new VirtException(VirtErrorCode.OperationTimeout, QmpMigrationMessages.IgnoredCancel(Outgoing, CancelGrace));
            }

            if (events.Take(ProgressInterval) is { } e)
            {
                status = e.GetDataString("status") ?? status;
                continue;
            }

            // No event for a while: ask (progress, and a status a lost event would hide).
            var info = QueryMigrate();
            status = info.Status ?? status;
            if (progress is not null && info.Ram is { } ram && status == "active")
            {
                progress.Report(new VirtProgress("migrate", ram.Total - ram.Remaining, ram.Total));
            }
        }

        if (status == "completed")
        {
            if (progress is not null && QueryMigrate().Ram is { } ram)
            {
                progress.Report(new VirtProgress("migrate", ram.Total, ram.Total));
            }

            // QEMU sends "completed" a moment before it leaves finish-migrate for postmigrate (its migration thread
            // sets the run state after the event): the caller is to see the state that follows.
            long finishing = Stopwatch.GetTimestamp();
            while (QueryStatus().Status == "finish-migrate" && Stopwatch.GetElapsedTime(finishing) < CancelGrace)
            {
                Thread.Sleep(1);
            }

            return;
        }

        if (status == "failed" || cancelledAt is null)
        {
            throw new VirtException(VirtErrorCode.OperationFailed, QmpMigrationMessages.Failed(Outgoing, QueryMigrate().ErrorDesc));
        }

        throw timedOut
            ? new VirtException(VirtErrorCode.OperationTimeout, QmpMigrationMessages.TimedOut(Outgoing, MigrationLimit))
            : new VirtException(VirtErrorCode.OperationAborted, QmpMigrationMessages.Cancelled(Outgoing));
    }

    private void FollowIncoming(QmpEventQueue events, SafeFileHandle file, long size, IProgress<VirtProgress>? progress, CancellationToken cancellationToken)
    {
        using var wake = cancellationToken.Register(events.Wake);
        long started = Stopwatch.GetTimestamp();
        string status = "setup";
        while (status is not ("completed" or "failed" or "cancelled"))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new VirtException(VirtErrorCode.OperationAborted, QmpMigrationMessages.IncomingAbandoned("cancelled"));
            }

            if (Stopwatch.GetElapsedTime(started) >= MigrationLimit)
            {
                throw new VirtException(VirtErrorCode.OperationTimeout, QmpMigrationMessages.IncomingAbandoned(
                    string.Create(System.Globalization.CultureInfo.InvariantCulture, $"not done within {MigrationLimit.TotalSeconds:0.###} s")));
            }

            if (events.Take(ProgressInterval) is { } e)
            {
                status = e.GetDataString("status") ?? status;
                continue;
            }

            status = QueryMigrate().Status ?? status;
            if (progress is not null && FileOffset.Of(file) is long position)
            {
                progress.Report(new VirtProgress("migrate-incoming", Math.Min(position, size), size));
            }
        }

        if (status != "completed")
        {
            throw new VirtException(VirtErrorCode.OperationFailed, QmpMigrationMessages.Failed(Incoming, QueryMigrate().ErrorDesc));
        }

        progress?.Report(new VirtProgress("migrate-incoming", size, size));
    }

    /// <summary>Cancels a started outgoing migration and waits for it to end (one that completed first counts as done).</summary>
    private void TryAbandonOutgoing(QmpEventQueue events)
    {
        try
        {
            FollowOutgoing(events, null, new CancellationToken(canceled: true));
        }
        catch (Exception e) when (e is VirtException or QmpConnectionException)
        {
            // Cancelled, or QEMU is gone: either way it writes no more.
        }
    }

    private void TryCloseFd(string name)
    {
        try
        {
            CloseFd(name);
        }
        catch (VirtException)
        {
            // Already taken (the migration started with it), or the connection broke: QEMU closes it with itself.
        }
    }
}
