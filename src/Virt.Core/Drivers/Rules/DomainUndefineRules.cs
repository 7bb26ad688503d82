namespace Virt.Drivers.Rules;

/// <summary>The checks libvirt's drivers make on undefine before touching the domain, worded as libvirt 9.0 words them.</summary>
internal static class DomainUndefineRules
{
    /// <summary>Refuses <see cref="DomainUndefineFlags.Nvram"/> with <see cref="DomainUndefineFlags.KeepNvram"/>, as
    /// libvirt's QEMU driver does (an operation error, not the façade's mutually-exclusive-flags error).</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationInvalid"/> "cannot both keep and delete nvram".</exception>
    public static void CheckNvramFlags(DomainUndefineFlags flags)
    {
        if (flags.HasFlag(DomainUndefineFlags.Nvram) && flags.HasFlag(DomainUndefineFlags.KeepNvram))
        {
            throw new VirtException(VirtErrorCode.OperationInvalid, "cannot both keep and delete nvram");
        }
    }

    /// <summary>An inactive domain with snapshots is undefined only with <see cref="DomainUndefineFlags.SnapshotsMetadata"/>,
    /// which then removes the snapshots' metadata with it.</summary>
    /// <param name="isActive">Whether the domain runs (a running domain only loses its persistent definition).</param>
    /// <param name="snapshotCount">How many snapshots it has.</param>
    /// <param name="flags">The undefine flags.</param>
    /// <returns>True when the caller must remove the snapshots' metadata.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationInvalid"/> "cannot delete inactive domain with N snapshots".</exception>
    public static bool MustRemoveSnapshotMetadata(bool isActive, int snapshotCount, DomainUndefineFlags flags)
    {
        if (isActive || snapshotCount == 0)
        {
            return false;
        }

        if (!flags.HasFlag(DomainUndefineFlags.SnapshotsMetadata))
        {
            throw new VirtException(VirtErrorCode.OperationInvalid, $"cannot delete inactive domain with {snapshotCount} snapshots");
        }

        return true;
    }
}
