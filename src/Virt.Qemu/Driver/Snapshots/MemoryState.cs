using Virt.IO;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>
/// A guest's memory and device state in a file, as an external snapshot keeps it: QEMU's migration stream, written by
/// <c>migrate fd:</c> into a file this process opened and passed with <c>getfd</c> (QEMU 7.2 has no <c>file:</c> URI,
/// and no shell is involved), and read back by <c>migrate-incoming fd:</c> into a QEMU started with
/// <c>-S -incoming defer</c> (QEMU-FACTS.md sections 4 and 5).
/// </summary>
internal static class MemoryState
{
    /// <summary>
    /// Saves the state of the guest behind <paramref name="monitor"/> into <paramref name="file"/> (0600, through a
    /// hidden temporary name beside it, fsynced, then given its name: a failure or a crash never leaves a partial
    /// stream under that name, and a failure leaves no temporary file). Without <paramref name="live"/> a running
    /// guest is paused first; with it the guest runs while its RAM is copied and QEMU pauses it at the end, as
    /// libvirt's LIVE flag does. On success the guest is paused (QEMU's status <c>postmigrate</c>, its disks inactive
    /// until <c>cont</c>); the caller resumes it. On failure a guest this call paused runs again (QEMU resumes a live
    /// one itself). QEMU refuses to migrate a guest that has not run since its last migration; such a guest
    /// (status <c>postmigrate</c>, a second save without a resume) is resumed and paused again first, so it runs
    /// for the moment between the two commands.
    /// </summary>
    /// <param name="monitor">The running QEMU's monitor.</param>
    /// <param name="file">Where the state goes; an existing file is replaced only when the save succeeded.</param>
    /// <param name="live">libvirt's <c>VIR_DOMAIN_SNAPSHOT_CREATE_LIVE</c>.</param>
    /// <param name="progress">Receives RAM copied of RAM to copy.</param>
    /// <param name="cancellationToken">Cancels the migration (<c>migrate_cancel</c>).</param>
    /// <param name="step">The fault tests' hook: called after <c>getfd</c>, once the migration started and when it
    /// completed ("getfd", "migrate", "completed"), and before each step of the file's atomic write ("write", "fsync",
    /// "rename", "fsync-dir"); null for none.</param>
    /// <exception cref="VirtException">QEMU's error text (<see cref="VirtErrorCode.OperationFailed"/>),
    /// <see cref="VirtErrorCode.OperationAborted"/>, <see cref="VirtErrorCode.OperationTimeout"/>, or
    /// <see cref="VirtErrorCode.WriteFailed"/> when the file cannot be written.</exception>
    public static void Save(QmpClient monitor, string file, bool live, IProgress<VirtProgress>? progress, CancellationToken cancellationToken,
        Action<string>? step = null)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentException.ThrowIfNullOrEmpty(file);
        if (cancellationToken.IsCancellationRequested)
        {
            throw new VirtException(VirtErrorCode.OperationAborted, "saving the memory state was cancelled");
        }

        var status = monitor.QueryStatus();
        if (status.Status == "postmigrate")
        {
            monitor.Cont();
            monitor.Stop();
        }

        bool pausedHere = !live && status.Running;
        if (pausedHere)
        {
            monitor.Stop();
        }

        try
        {
            var writer = step is null ? new AtomicFile() : new AtomicFile(durable: true, step);
            writer.Replace(file, AtomicFile.PrivateFile, stream => monitor.MigrateToFile(stream.SafeFileHandle, progress, cancellationToken, step));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ResumeIf(pausedHere, monitor);
            throw new VirtException(VirtErrorCode.WriteFailed, $"cannot write the memory state to '{file}': {e.Message}", e);
        }
        catch
        {
            ResumeIf(pausedHere, monitor);
            throw;
        }
    }

    /// <summary>
    /// Loads the state saved in <paramref name="file"/> into the QEMU behind <paramref name="monitor"/>, which was
    /// started with <c>-S -incoming defer</c> from the definition the state was saved from. On success the guest is
    /// paused (<c>cont</c> runs it). On failure, cancellation or timeout that QEMU is unusable (QEMU cannot stop an
    /// incoming migration, and 7.2 exits when one fails): the caller ends it.
    /// </summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.ReadFailed"/> when the file cannot be opened; QEMU's error
    /// (<see cref="VirtErrorCode.OperationFailed"/>), <see cref="VirtErrorCode.OperationAborted"/>,
    /// <see cref="VirtErrorCode.OperationTimeout"/>.</exception>
    /// <param name="monitor">The monitor of the QEMU started with <c>-incoming defer</c>.</param>
    /// <param name="file">The saved state.</param>
    /// <param name="progress">Receives the read position.</param>
    /// <param name="cancellationToken">Abandons the load.</param>
    /// <param name="step">The fault tests' hook ("getfd", "migrate", "completed"); null for none.</param>
    public static void Restore(QmpClient monitor, string file, IProgress<VirtProgress>? progress, CancellationToken cancellationToken, Action<string>? step = null)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentException.ThrowIfNullOrEmpty(file);
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VirtException(VirtErrorCode.ReadFailed, $"cannot read the memory state from '{file}': {e.Message}", e);
        }

        using (handle)
        {
            monitor.MigrateIncomingFromFile(handle, progress, cancellationToken, step);
        }
    }

    private static void ResumeIf(bool pausedHere, QmpClient monitor)
    {
        if (!pausedHere)
        {
            return;
        }

        try
        {
            monitor.Cont();
        }
        catch (VirtException)
        {
            // QEMU is gone or refuses: the caller's next look at the domain sees its state; the save's error matters more.
        }
    }
}
