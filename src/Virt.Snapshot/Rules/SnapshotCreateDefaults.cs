using Virt.Conf;

namespace Virt.Snapshot.Rules;

/// <summary>
/// The definition of a new snapshot as libvirt completes it before taking it (<c>qemuSnapshotCreateAlignDisks</c>,
/// the test driver's create): the domain's state and definitions, the parent (the current snapshot), the memory
/// default, the offline-with-memory check, and the disks aligned with the domain.
/// </summary>
internal static class SnapshotCreateDefaults
{
    /// <summary>Completes <paramref name="requested"/> (parsed as XML for a new snapshot).</summary>
    /// <param name="requested">The parsed XML.</param>
    /// <param name="flags">The create flags (checked already with <see cref="SnapshotCreateFlagCheck"/>).</param>
    /// <param name="driver">What the driver supports.</param>
    /// <param name="domainState">The domain's state now.</param>
    /// <param name="domainXml">The domain's live definition (inactive layout), recorded as the snapshot's domain.</param>
    /// <param name="inactiveDomainXml">The persistent definition when it differs from the live one, or null.</param>
    /// <param name="parentName">The current snapshot, which becomes the parent, or null.</param>
    /// <returns>The definition to store.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.ConfigUnsupported"/> for external memory the driver
    /// cannot save, or as <see cref="SnapshotDiskAlignment.Align"/>; <see cref="VirtErrorCode.XmlError"/> for memory
    /// in an offline or disk-only snapshot, or a domain definition that does not parse.</exception>
    public static SnapshotDefinition Complete(
        SnapshotDefinition requested,
        SnapshotCreateFlags flags,
        SnapshotDriverProfile driver,
        DomainState domainState,
        string domainXml,
        string? inactiveDomainXml,
        string? parentName)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(domainXml);
        if (requested.Memory == SnapshotLocation.External && !driver.ExternalMemory)
        {
            throw new VirtException(VirtErrorCode.ConfigUnsupported, $"the {driver.DriverName} driver does not support external memory snapshots");
        }

        var state = SnapshotStateConversion.FromDomainState(domainState);
        var memory = requested.Memory;
        var diskDefault = SnapshotLocation.Internal;
        if ((flags & SnapshotCreateFlags.DiskOnly) != 0)
        {
            state = domainState.IsActive() ? SnapshotState.DiskSnapshot : SnapshotState.Shutoff;
            diskDefault = SnapshotLocation.External;
            if (memory is SnapshotLocation.Default)
            {
                memory = SnapshotLocation.No;
            }
        }
        else if (memory == SnapshotLocation.External)
        {
            diskDefault = SnapshotLocation.External;
        }
        else if (memory == SnapshotLocation.Default)
        {
            memory = state == SnapshotState.Shutoff ? SnapshotLocation.No : SnapshotLocation.Internal;
        }

        if (state is SnapshotState.Shutoff or SnapshotState.DiskSnapshot && memory != SnapshotLocation.No)
        {
            throw new VirtException(VirtErrorCode.XmlError, "memory state cannot be saved with offline or disk-only snapshot");
        }

        string name = requested.Name ?? throw new ArgumentException("a new snapshot's definition has a name once parsed", nameof(requested));
        var domain = DomainDefinition.Parse(domainXml);
        return requested with
        {
            State = state,
            ParentName = parentName,
            Memory = memory,
            Disks = SnapshotDiskAlignment.Align(name, requested.Disks, domain.Devices.Disks.ToList(), diskDefault, driver.UniformInternal, driver.IsRegularFile),
            RevertDisks = [],
            DomainXml = domainXml,
            InactiveDomainXml = inactiveDomainXml,
            CookieXml = null,
        };
    }
}
