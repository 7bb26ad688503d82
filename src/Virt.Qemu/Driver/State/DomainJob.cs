using System.Collections.Concurrent;
using System.Globalization;
using Virt.IO;

namespace Virt.Qemu.Driver.State;

/// <summary>
/// One job at a time on a domain, across threads and processes: an in-process gate, then an flock on the domain's
/// lock folder (which the kernel releases when a holder dies, so a killed process never leaves a domain locked).
/// The holder records its job in the folder (<see cref="DomainJobRecord"/>), so a caller that gives up waiting is told
/// who holds the domain.
/// </summary>
internal sealed class DomainJob : IDisposable
{
    private static readonly ConcurrentDictionary<string, Gate> Gates = new(StringComparer.Ordinal);
    private readonly Gate _gate;
    private readonly FolderLock _lock;
    private readonly DomainJobRecord? _record;
    private int _disposed;

    private DomainJob(Gate gate, FolderLock folderLock, DomainJobRecord? record)
    {
        _gate = gate;
        _lock = folderLock;
        _record = record;
    }

    /// <summary>Takes the domain for <paramref name="job"/>, waiting up to <paramref name="timeout"/>. A short read-only
    /// job (<paramref name="record"/> false) leaves no record in the folder: its holder is named in this process only,
    /// and another process that gives up waiting on it is told the domain is busy without who holds it.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationTimeout"/> "domain 'X' is busy (job J since T)" when
    /// another job holds the domain for longer; <see cref="VirtErrorCode.OperationAborted"/> when cancelled.</exception>
    public static DomainJob Acquire(StateRoot root, string name, string job, TimeSpan timeout, CancellationToken cancellationToken = default, bool record = true)
    {
        string folder = root.LockFolder(name);
        var gate = Gates.GetOrAdd(folder, _ => new Gate());
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        if (!WaitGate(gate, deadline, cancellationToken))
        {
            throw Busy(name, gate.Holder ?? DomainJobRecord.Read(folder));
        }

        try
        {
            PrivateDirectory.Create(folder);
            var held = LockFolder(name, folder, deadline, cancellationToken);
            var holder = new JobHolder(job, DateTimeOffset.UtcNow, Environment.ProcessId);
            gate.Holder = holder;
            try
            {
                return new DomainJob(gate, held, record ? DomainJobRecord.Write(folder, holder) : null);
            }
            catch
            {
                held.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            gate.Holder = null;
            gate.Semaphore.Release();
            throw new VirtException(VirtErrorCode.SystemError, $"cannot lock domain '{name}': {e.Message}", e);
        }
        catch
        {
            gate.Holder = null;
            gate.Semaphore.Release();
            throw;
        }
    }

    /// <summary>Ends the job.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _record?.Dispose();
        _lock.Dispose();
        _gate.Holder = null;
        _gate.Semaphore.Release();
    }

    private static bool WaitGate(Gate gate, long deadline, CancellationToken cancellationToken)
    {
        try
        {
            return gate.Semaphore.Wait(Remaining(deadline), cancellationToken);
        }
        catch (OperationCanceledException e)
        {
            throw new VirtException(VirtErrorCode.OperationAborted, "waiting for the domain was cancelled", e);
        }
    }

    private static FolderLock LockFolder(string name, string folder, long deadline, CancellationToken cancellationToken)
    {
        int pause = 1;
        while (true)
        {
            if (FolderLock.TryAcquire(folder, out _) is { } held)
            {
                return held;
            }

            if (Environment.TickCount64 >= deadline)
            {
                throw Busy(name, DomainJobRecord.Read(folder));
            }

            if (cancellationToken.WaitHandle.WaitOne(Math.Min(pause, (int)Remaining(deadline).TotalMilliseconds + 1)))
            {
                throw new VirtException(VirtErrorCode.OperationAborted, "waiting for the domain was cancelled");
            }

            pause = Math.Min(pause * 2, 25);
        }
    }

    private static VirtException Busy(string name, JobHolder? holder) => new(VirtErrorCode.OperationTimeout, holder is { } h
        ? $"domain '{name}' is busy (job {h.Job} since {h.Since.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}, process {h.Pid})"
        : $"domain '{name}' is busy");

    private static TimeSpan Remaining(long deadline) => TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64));

    private sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public JobHolder? Holder { get; set; }
    }
}
