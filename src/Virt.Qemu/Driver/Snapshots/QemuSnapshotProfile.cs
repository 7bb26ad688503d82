using Virt.Snapshot.Rules;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>What the QEMU driver supports of the snapshot API: libvirt 9.0's <c>qemuSnapshotCreateXML</c>,
/// <c>qemuSnapshotRevert</c> and <c>qemuSnapshotDelete</c> flag lists; external memory is saved by migration into a
/// file (<see cref="MemoryState"/>).</summary>
internal static class QemuSnapshotProfile
{
    /// <summary>The profile the shared rules take.</summary>
    public static readonly SnapshotDriverProfile Profile = new()
    {
        DriverName = "qemu",
        CreateFlags = SnapshotCreateFlags.Redefine | SnapshotCreateFlags.Current | SnapshotCreateFlags.NoMetadata | SnapshotCreateFlags.Halt
            | SnapshotCreateFlags.DiskOnly | SnapshotCreateFlags.ReuseExternal | SnapshotCreateFlags.Quiesce | SnapshotCreateFlags.Atomic
            | SnapshotCreateFlags.Live | SnapshotCreateFlags.Validate,
        CreateFunction = "qemuSnapshotCreateXML",
        RevertFlags = SnapshotRevertFlags.Running | SnapshotRevertFlags.Paused | SnapshotRevertFlags.Force,
        RevertFunction = "qemuSnapshotRevert",
        ExternalMemory = true,
        IsRegularFile = path => Virt.IO.NativeMethods.StatusOf(path).Kind == Virt.IO.HostFileKind.Regular,
    };

    /// <summary>The delete flags (<c>qemuSnapshotDelete</c>).</summary>
    public const SnapshotDeleteFlags DeleteFlags = SnapshotDeleteFlags.Children | SnapshotDeleteFlags.ChildrenOnly | SnapshotDeleteFlags.MetadataOnly;

    /// <summary>The delete function named in the unsupported-flags message.</summary>
    public const string DeleteFunction = "qemuSnapshotDelete";
}
