namespace Virt.Snapshot.Rules;

/// <summary>
/// The checks libvirt's QEMU driver makes on a parsed snapshot before creating or redefining it
/// (<c>qemuSnapshotCreateXMLValidateDef</c>): a name that can become a file name, LIVE only for an external
/// full-system snapshot of a running domain, and a state a snapshot can be taken in. libvirt's test driver does not
/// make them; a driver that stores snapshots in files or drives a hypervisor does.
/// </summary>
internal static class SnapshotCreateValidation
{
    /// <summary>Checks <paramref name="snapshot"/> (as parsed) against the flags and the domain's state.</summary>
    /// <param name="snapshot">The parsed definition.</param>
    /// <param name="flags">The create flags.</param>
    /// <param name="domainState">The domain's state now.</param>
    /// <param name="driver">What the driver supports (its name appears in one message).</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.XmlError"/> for a name with '/' or a leading '.'
    /// (unless NO_METADATA: no file is written); <see cref="VirtErrorCode.OperationUnsupported"/> for LIVE where it
    /// does not apply or a domain suspended by guest power management; <see cref="VirtErrorCode.InternalError"/> for a
    /// state no snapshot is taken in.</exception>
    public static void Check(SnapshotDefinition snapshot, SnapshotCreateFlags flags, DomainState domainState, SnapshotDriverProfile driver)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(driver);
        bool redefine = (flags & SnapshotCreateFlags.Redefine) != 0;
        if ((flags & SnapshotCreateFlags.NoMetadata) == 0 && snapshot.Name is { } name)
        {
            if (name.Contains('/', StringComparison.Ordinal))
            {
                throw new VirtException(VirtErrorCode.XmlError, $"invalid snapshot name '{name}': name can't contain '/'");
            }

            if (name.StartsWith('.'))
            {
                throw new VirtException(VirtErrorCode.XmlError, $"invalid snapshot name '{name}': name can't start with '.'");
            }
        }

        if ((flags & SnapshotCreateFlags.Live) != 0 && (!domainState.IsActive() || snapshot.Memory != SnapshotLocation.External))
        {
            throw new VirtException(VirtErrorCode.OperationUnsupported, "live snapshot creation is supported only during full system snapshots");
        }

        var state = redefine ? snapshot.State : SnapshotStateConversion.FromDomainState(domainState);
        switch (state)
        {
            case SnapshotState.Running or SnapshotState.Paused or SnapshotState.Shutdown or SnapshotState.Shutoff or SnapshotState.Crashed:
                return;
            case SnapshotState.DiskSnapshot when redefine:
                return;
            case SnapshotState.PMSuspended:
                throw new VirtException(VirtErrorCode.OperationUnsupported, $"{driver.DriverName} doesn't support taking snapshots of PMSUSPENDED guests");
            default:
                throw new VirtException(VirtErrorCode.InternalError, $"Invalid domain state {Xml.SnapshotXmlNames.ToXml(state)}");
        }
    }
}
