using Virt.Drivers;

namespace Virt.Snapshot.Rules;

/// <summary>
/// libvirt's flag checks for creating a snapshot: those of the public API (<c>virDomainSnapshotCreateXML</c>), the
/// driver's own list (<c>virCheckFlags</c> with the driver's supported set and function name), and HALT on a
/// transient domain, with libvirt's wording.
/// </summary>
internal static class SnapshotCreateFlagCheck
{
    /// <summary>Checks <paramref name="flags"/> as libvirt's API and then the driver do.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> for a missing required flag, exclusive
    /// flags or a flag the driver does not support.</exception>
    public static void Check(SnapshotCreateFlags flags, SnapshotDriverProfile driver)
    {
        ArgumentNullException.ThrowIfNull(driver);
        DriverFlags.CheckRequired(flags, SnapshotCreateFlags.Current, "VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT",
            SnapshotCreateFlags.Redefine, "VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE");
        DriverFlags.CheckExclusive(flags, SnapshotCreateFlags.Redefine, "VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE",
            SnapshotCreateFlags.NoMetadata, "VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA");
        if ((flags & SnapshotCreateFlags.Redefine) != 0 && (flags & SnapshotCreateFlags.Halt) != 0)
        {
            throw new VirtException(VirtErrorCode.InvalidArg, "redefine and halt flags in virDomainSnapshotCreateXML are mutually exclusive");
        }

        DriverFlags.CheckSupported(flags, driver.CreateFlags, driver.CreateFunction);
    }

    /// <summary>Refuses HALT for a domain without a persistent definition: it would vanish when halted.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationInvalid"/>.</exception>
    public static void CheckHalt(SnapshotCreateFlags flags, bool persistent)
    {
        if (!persistent && (flags & SnapshotCreateFlags.Halt) != 0)
        {
            throw new VirtException(VirtErrorCode.OperationInvalid, "cannot halt after transient domain snapshot");
        }
    }
}
