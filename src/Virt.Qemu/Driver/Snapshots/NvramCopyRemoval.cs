using Virt.Qemu.Driver.State;
using Virt.Snapshot;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>After a snapshot's metadata went (put it after the store): its NVRAM copy, kept beside the metadata, goes too.
/// Never throws: a copy left behind is only space.</summary>
internal sealed class NvramCopyRemoval(StateRoot root, string domain) : SnapshotChangeHandler
{
    /// <inheritdoc/>
    public override void Removing(SnapshotDefinition snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        try
        {
            File.Delete(root.SnapshotNvramFile(domain, snapshot.Name!));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind.
        }
    }
}
