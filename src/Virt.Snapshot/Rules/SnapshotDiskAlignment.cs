using Virt.Conf;
using Virt.Snapshot.Xml;

namespace Virt.Snapshot.Rules;

/// <summary>
/// libvirt's <c>virDomainSnapshotAlignDisks</c>: the snapshot gets one disk entry per domain disk, in the domain's
/// order, each with its location settled, and external ones with a file name (<see cref="SnapshotExternalNames"/>).
/// A requested entry may name a disk by target or by source path (it is renamed to the target); the domain's
/// per-disk <c>snapshot=</c> setting fills in what the request leaves open, then <c>defaultLocation</c>. Empty
/// drives are never snapshotted, and a read-only disk without a setting is not either.
/// </summary>
internal static class SnapshotDiskAlignment
{
    /// <summary>Aligns <paramref name="requested"/> with the domain's disks.</summary>
    /// <param name="snapshotName">The snapshot's name (for external file names).</param>
    /// <param name="requested">The disks the snapshot XML lists.</param>
    /// <param name="domainDisks">The domain's disks at snapshot time.</param>
    /// <param name="defaultLocation">The location of disks nothing else decides: <see cref="SnapshotLocation.Internal"/>
    /// or <see cref="SnapshotLocation.External"/>, as the driver and the kind of snapshot decide.</param>
    /// <param name="uniformInternal">Whether an internal snapshot must take every disk that can be snapshotted
    /// internally (<see cref="SnapshotDriverProfile.UniformInternal"/>).</param>
    /// <param name="isRegularFile">Whether a path is a regular file, as <c>stat(2)</c> tells: external names are
    /// generated only next to one (the driver asks its host).</param>
    /// <returns>The aligned disks.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.ConfigUnsupported"/> with libvirt's message when a
    /// request names no disk or a disk twice, asks for a location the rule forbids, gives a file for a disk that is not
    /// external, or when an external file name cannot be generated.</exception>
    public static List<SnapshotDiskDefinition> Align(
        string snapshotName,
        IReadOnlyList<SnapshotDiskDefinition> requested,
        IReadOnlyList<DomainDisk> domainDisks,
        SnapshotLocation defaultLocation,
        bool uniformInternal,
        Func<string, bool> isRegularFile)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(domainDisks);
        if (requested.Count > domainDisks.Count)
        {
            throw Unsupported("too many disk snapshot requests for domain");
        }

        if (domainDisks.Count == 0)
        {
            return [];
        }

        bool requireMatch = uniformInternal && defaultLocation == SnapshotLocation.Internal;
        var byTarget = new Dictionary<string, SnapshotDiskDefinition>(StringComparer.Ordinal);
        foreach (var request in requested)
        {
            var disk = FindDisk(domainDisks, request.Name) ?? throw Unsupported($"no disk named '{request.Name}'");
            if (byTarget.ContainsKey(disk.TargetDev))
            {
                throw Unsupported($"disk '{request.Name}' specified twice");
            }

            var domainSetting = DomainSetting(disk);
            var location = request.Snapshot;
            if (location == SnapshotLocation.Default)
            {
                location = domainSetting != SnapshotLocation.Default && (!requireMatch || domainSetting == SnapshotLocation.No)
                    ? domainSetting
                    : defaultLocation;
            }
            else if (requireMatch && location != defaultLocation
                && !(location == SnapshotLocation.No && domainSetting == SnapshotLocation.No))
            {
                throw Unsupported($"disk '{request.Name}' must use snapshot mode '{SnapshotXmlNames.ToXml(defaultLocation)}'");
            }

            if (request.SourcePath is not null && location != SnapshotLocation.External)
            {
                throw Unsupported($"file '{request.SourcePath}' for disk '{request.Name}' requires use of external snapshot mode");
            }

            // libvirt's storage type defaults to file and is written whenever there is a source or a format.
            string? type = request.SourceType ?? (request.SourcePath is not null || request.DriverType is not null ? "file" : null);
            byTarget.Add(disk.TargetDev, request with { Name = disk.TargetDev, Snapshot = location, SourceType = type });
        }

        var aligned = new List<SnapshotDiskDefinition>(domainDisks.Count);
        foreach (var disk in domainDisks)
        {
            if (byTarget.TryGetValue(disk.TargetDev, out var given))
            {
                aligned.Add(given);
                continue;
            }

            var location = IsEmpty(disk) ? SnapshotLocation.No : DomainSetting(disk);
            aligned.Add(new SnapshotDiskDefinition
            {
                Name = disk.TargetDev,
                Snapshot = location == SnapshotLocation.Default ? defaultLocation : location,
            });
        }

        SnapshotExternalNames.Assign(snapshotName, aligned, domainDisks, isRegularFile);
        return aligned;
    }

    /// <summary>The domain disk's own <c>snapshot=</c> setting; a read-only disk without one is not snapshotted.</summary>
    internal static SnapshotLocation DomainSetting(DomainDisk disk) =>
        disk.Snapshot is { } text
            ? SnapshotXmlNames.ParseLocation(text) ?? SnapshotLocation.Default
            : IsReadOnly(disk) ? SnapshotLocation.No : SnapshotLocation.Default;

    /// <summary>libvirt's <c>virStorageSourceIsEmpty</c> for the storage this model has: local storage without a
    /// path (an empty CD-ROM drive).</summary>
    internal static bool IsEmpty(DomainDisk disk) => disk.Source is null && disk.Type is "file" or "block" or "dir";

    private static bool IsReadOnly(DomainDisk disk) => disk.ReadOnly || disk.Device is "cdrom" or "floppy";

    /// <summary>libvirt's <c>virDomainDiskByName</c> without ambiguity: a target name matches at once; a source path
    /// matches when exactly one disk has it.</summary>
    private static DomainDisk? FindDisk(IReadOnlyList<DomainDisk> disks, string name)
    {
        DomainDisk? bySource = null;
        foreach (var disk in disks)
        {
            if (disk.TargetDev == name)
            {
                return disk;
            }

            if (disk.Source == name)
            {
                if (bySource is not null)
                {
                    return null;
                }

                bySource = disk;
            }
        }

        return bySource;
    }

    private static VirtException Unsupported(string message) => new(VirtErrorCode.ConfigUnsupported, message);
}
