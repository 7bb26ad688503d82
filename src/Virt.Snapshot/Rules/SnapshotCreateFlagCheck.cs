using Virt.Drivers;

namespace Virt.Snapshot.Rules;

/// <summary>
/// The drivers' flag checks for creating a snapshot: REDEFINE with HALT, the driver's own list (<c>virCheckFlags</c>
/// with the driver's supported set and function name), and HALT on a transient domain, with libvirt's wording. The
/// public API's checks (CURRENT needs REDEFINE, REDEFINE excludes NO_METADATA) are the façade's, made before any
/// driver runs (<c>VirtDomain.CreateSnapshot</c>).
/// </summary>
internal static class SnapshotCreateFlagCheck
{
    /// <summary>Checks <paramref name="flags"/> as the driver does, after the façade's checks.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> for REDEFINE with HALT or a flag the
    /// driver does not support.</exception>
    public static void Check(SnapshotCreateFlags flags, SnapshotDriverProfile driver)
    {
        ArgumentNullException.ThrowIfNull(driver);
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
