using Virt.IO;
using Virt.Snapshot.Store;

namespace Virt.Snapshot;

/// <summary>Changing the folder, one atomic file operation at a time.</summary>
public sealed partial class SnapshotMetadataStore
{
    private const string CurrentFile = "current";

    /// <summary>Writes a snapshot's file atomically.</summary>
    /// <param name="snapshot">The definition.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> for a bad name;
    /// <see cref="VirtErrorCode.WriteFailed"/> when the file cannot be written (the old one stays);
    /// <see cref="VirtErrorCode.ResourceBusy"/> when another store owns the folder. When it was written but the
    /// folder could not be flushed, nothing is thrown and a warning is logged.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public void Save(SnapshotDefinition snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ValidateName(snapshot.Name);
        string xml = snapshot.ToXml();
        Change(create: true, () => _files.Write(PathOf(snapshot.Name!), xml),
            $"cannot write metadata of snapshot '{snapshot.Name}'", $"metadata of snapshot '{snapshot.Name}' written");
    }

    /// <summary>Removes a snapshot's file (nothing happens when there is none).</summary>
    /// <param name="name">The snapshot's name.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> for a bad name;
    /// <see cref="VirtErrorCode.WriteFailed"/> when it cannot be removed;
    /// <see cref="VirtErrorCode.ResourceBusy"/> when another store owns the folder.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public void Remove(string name)
    {
        ValidateName(name);
        Change(create: false, () => _files.Delete(PathOf(name)), $"cannot remove metadata of snapshot '{name}'", $"metadata of snapshot '{name}' removed");
    }

    /// <summary>Records the current snapshot (or removes the marker for none).</summary>
    /// <param name="name">The current snapshot's name, or null.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.WriteFailed"/> when it cannot be written;
    /// <see cref="VirtErrorCode.ResourceBusy"/> when another store owns the folder.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public void WriteCurrent(string? name)
    {
        if (name is null)
        {
            Change(create: false, () => _files.Delete(Path.Combine(Directory, CurrentFile)), "cannot clear the current snapshot marker", "current snapshot marker cleared");
            return;
        }

        ValidateName(name);
        Change(create: true, () => _files.Write(Path.Combine(Directory, CurrentFile), name + "\n"),
            $"cannot record '{name}' as the current snapshot", $"'{name}' recorded as the current snapshot");
    }

    /// <summary>Takes ownership (creating the folder first when <paramref name="create"/>), makes the change and
    /// logs a made-but-not-durable one.</summary>
    private void Change(bool create, Func<IOException?> action, string what, string made)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            IOException? notDurable;
            try
            {
                if (!System.IO.Directory.Exists(Directory))
                {
                    if (!create)
                    {
                        return;
                    }

                    PrivateDirectory.Create(Directory, _files.Steps);
                }

                Own();
                notDurable = action();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new VirtException(VirtErrorCode.WriteFailed, $"{what}: {ex.Message}", ex);
            }

            if (notDurable is not null)
            {
                SnapshotStoreLog.NotDurable(_logger, $"{made} in '{Directory}'", notDurable);
            }
        }
    }
}
