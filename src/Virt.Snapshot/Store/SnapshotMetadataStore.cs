using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Virt.IO;
using Virt.Snapshot.Store;

namespace Virt.Snapshot;

/// <summary>
/// Keeps a domain's snapshot metadata in a folder the driver chooses: one <c>NAME.xml</c> per snapshot (its
/// domainsnapshot XML) and a <c>current</c> file naming the current snapshot. Every write is atomic (temporary
/// file, fsync, rename, fsync of the folder); files are 0600 and the folder 0700. Use it as the
/// <see cref="SnapshotChangeHandler"/> of <see cref="SnapshotTree"/> operations (alone or combined with the
/// driver's own handler) so storage follows the tree step by step, and every step leaves a loadable store.
/// A write or removal either fails with nothing changed (the tree then skips its change too) or is made; when it
/// was made but the folder could not be flushed afterwards, the change stands (the tree applies it too) and a
/// warning is logged (category <c>Virt.Snapshot</c>, event 3000). Because a made change is never undone, put the
/// store last in <see cref="SnapshotChangeHandler.Combine"/>, after handlers that may still fail.
/// One store owns the folder at a time: the first <see cref="Load()"/> or change takes a lock (an flock on the folder)
/// that <see cref="Dispose"/> releases, or the end of the process; another store on the same folder, in this process
/// or another, is refused with the owner's pid until then.
/// </summary>
public sealed partial class SnapshotMetadataStore : SnapshotChangeHandler, IDisposable
{
    private readonly AtomicFile _files;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private FolderLock? _ownership;
    private bool _disposed;

    /// <summary>Creates a store over <paramref name="directory"/> (created, 0700, on the first write).</summary>
    /// <param name="directory">The folder, for example <c>ROOT/domains/NAME/snapshots</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    public SnapshotMetadataStore(string directory)
        : this(directory, new AtomicFile())
    {
    }

    /// <summary>Creates a store over <paramref name="directory"/> that logs to <paramref name="loggerFactory"/>.</summary>
    /// <param name="directory">The folder, for example <c>ROOT/domains/NAME/snapshots</c>.</param>
    /// <param name="loggerFactory">Where warnings go (changes made but not flushed); null for none.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    public SnapshotMetadataStore(string directory, ILoggerFactory? loggerFactory)
        : this(directory, new AtomicFile(), loggerFactory?.CreateLogger(SnapshotStoreLog.Category))
    {
    }

    internal SnapshotMetadataStore(string directory, AtomicFile files, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        _files = files;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>Releases the folder for another store. Further calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _ownership?.Dispose();
            _ownership = null;
        }
    }

    /// <inheritdoc/>
    public override void Saving(SnapshotDefinition snapshot, bool isNew) => Save(snapshot);

    /// <inheritdoc/>
    public override void Removing(SnapshotDefinition snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Remove(snapshot.Name!);
    }

    /// <inheritdoc/>
    public override void CurrentChanging(string? name) => WriteCurrent(name);

    /// <summary>Makes this store the folder's owner if it is not yet (the folder must exist). Call under _gate.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.ResourceBusy"/> when another store owns it.</exception>
    private void Own()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_ownership is not null)
        {
            return;
        }

        FolderLock? taken;
        int? owner;
        try
        {
            taken = FolderLock.TryAcquire(Directory, out owner);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new VirtException(VirtErrorCode.OperationFailed, $"cannot lock snapshot metadata folder '{Directory}': {ex.Message}", ex);
        }

        _ownership = taken ?? throw new VirtException(VirtErrorCode.ResourceBusy,
            $"snapshot metadata folder '{Directory}' is in use by " + (owner is { } pid ? $"pid {pid}" : "another process") +
            (owner == Environment.ProcessId ? " (another store in this process)" : string.Empty));
    }
}
