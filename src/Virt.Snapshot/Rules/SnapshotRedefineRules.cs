using Virt.Conf;

namespace Virt.Snapshot.Rules;

/// <summary>
/// Every rule for redefining a snapshot from its XML, in libvirt's order (<c>virDomainSnapshotRedefinePrep</c>:
/// <c>virDomainSnapshotCheckCycles</c>, <c>virDomainSnapshotRedefineValidate</c>, then disk alignment) and wording.
/// A driver calls <see cref="Prepare"/>; <see cref="SnapshotTree"/> calls the structural part
/// (<see cref="CheckPlacement"/>, <see cref="CheckReplacement"/>) for every redefinition it makes, so the tree
/// stays valid whoever calls it.
/// </summary>
internal static class SnapshotRedefineRules
{
    /// <summary>Validates a redefinition against the tree and the domain, and completes it: the domain of the
    /// snapshot it replaces when it has none, and its disks aligned with that domain.</summary>
    /// <param name="tree">The domain's snapshots.</param>
    /// <param name="snapshot">The definition, parsed with <see cref="SnapshotParseFlags.Redefine"/>.</param>
    /// <param name="domainUuid">The domain's UUID, which an embedded domain must carry.</param>
    /// <param name="flags">The create flags (<see cref="SnapshotCreateFlags.DiskOnly"/> is checked here).</param>
    /// <param name="driver">What the driver supports.</param>
    /// <returns>The definition to give <see cref="SnapshotTree.Redefine"/>.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> when a rule of the tree, the disk-only
    /// flag or the UUID is broken; <see cref="VirtErrorCode.XmlError"/> when an embedded domain does not parse;
    /// <see cref="VirtErrorCode.InternalError"/> when there is no domain at all; as
    /// <see cref="SnapshotDiskAlignment.Align"/>.</exception>
    public static SnapshotDefinition Prepare(SnapshotTree tree, SnapshotDefinition snapshot, Guid domainUuid, SnapshotCreateFlags flags, SnapshotDriverProfile driver)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(driver);
        // libvirt parses the embedded definitions with the snapshot XML, before any other check.
        var domain = snapshot.DomainXml is null ? null : ParseEmbedded(snapshot.DomainXml);
        if (snapshot.InactiveDomainXml is not null)
        {
            _ = ParseEmbedded(snapshot.InactiveDomainXml);
        }

        string name = CheckPlacement(tree, snapshot);
        tree.TryGet(name, out var existing);
        CheckDiskOnly(snapshot, flags);
        if (domain?.Uuid is { } uuid && uuid != domainUuid)
        {
            throw new VirtException(VirtErrorCode.InvalidArg, $"definition for snapshot {name} must use uuid {domainUuid:D}");
        }

        snapshot = CheckReplacement(snapshot, existing);
        if (snapshot.DomainXml is null)
        {
            throw new VirtException(VirtErrorCode.InternalError, "missing domain in snapshot");
        }

        domain ??= ParseEmbedded(snapshot.DomainXml);

        // libvirt keeps the parsed embedded definitions and prints them with its domain formatter.
        snapshot = snapshot with
        {
            DomainXml = domain.ToXml(),
            InactiveDomainXml = snapshot.InactiveDomainXml is null ? null : ParseEmbedded(snapshot.InactiveDomainXml).ToXml(),
        };
        var location = snapshot.State == SnapshotState.DiskSnapshot || snapshot.IsExternal ? SnapshotLocation.External : SnapshotLocation.Internal;
        var disks = SnapshotDiskAlignment.Align(name, snapshot.Disks, domain.Devices.Disks.ToList(), location, uniformInternal: true, driver.IsRegularFile);
        return snapshot with { Disks = disks };
    }

    /// <summary>libvirt's <c>virDomainSnapshotCheckCycles</c>: the snapshot has a name, is not its own parent, its
    /// parent exists, and (when it replaces one with another parent) the parent is not one of its descendants.</summary>
    /// <returns>The snapshot's name.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/>.</exception>
    public static string CheckPlacement(SnapshotTree tree, SnapshotDefinition snapshot)
    {
        string name = snapshot.Name ?? throw new VirtException(VirtErrorCode.InvalidArg, "a snapshot must have a name");
        string? parent = snapshot.ParentName;
        if (parent is null)
        {
            return name;
        }

        if (parent == name)
        {
            throw new VirtException(VirtErrorCode.InvalidArg, $"cannot set moment {name} as its own parent");
        }

        if (!tree.Contains(parent))
        {
            throw new VirtException(VirtErrorCode.InvalidArg, $"parent {parent} for moment {name} not found");
        }

        // Only a new parent can create a cycle; walking up from it is O(depth), done only then. Like libvirt, name
        // the ancestor whose parent is the snapshot being redefined.
        if (tree.Contains(name) && tree.GetParentName(name) != parent)
        {
            for (string? p = parent; p is not null; p = tree.GetParentName(p))
            {
                if (tree.GetParentName(p) == name)
                {
                    throw new VirtException(VirtErrorCode.InvalidArg, $"parent {p} would create cycle to {name}");
                }
            }
        }

        return name;
    }

    /// <summary>The disk-only flag needs a disk-only (or external) snapshot.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/>.</exception>
    public static void CheckDiskOnly(SnapshotDefinition snapshot, SnapshotCreateFlags flags)
    {
        if ((flags & SnapshotCreateFlags.DiskOnly) != 0 && !(snapshot.State == SnapshotState.DiskSnapshot || snapshot.IsExternal))
        {
            throw new VirtException(VirtErrorCode.InvalidArg, $"disk-only flag for snapshot {snapshot.Name} requires disk-snapshot state");
        }
    }

    /// <summary>A snapshot that replaces <paramref name="existing"/> keeps its online/offline and disk-only/full
    /// kind, and inherits its domain when it has none.</summary>
    /// <returns>The snapshot, with the inherited domain.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/>.</exception>
    public static SnapshotDefinition CheckReplacement(SnapshotDefinition snapshot, SnapshotDefinition? existing)
    {
        if (existing is null)
        {
            return snapshot;
        }

        if (existing.IsOnline != snapshot.IsOnline)
        {
            throw new VirtException(VirtErrorCode.InvalidArg, $"cannot change between online and offline snapshot state in snapshot {snapshot.Name}");
        }

        if ((existing.State == SnapshotState.DiskSnapshot) != (snapshot.State == SnapshotState.DiskSnapshot))
        {
            throw new VirtException(VirtErrorCode.InvalidArg, $"cannot change between disk only and full system in snapshot {snapshot.Name}");
        }

        return snapshot.DomainXml is null && existing.DomainXml is not null ? snapshot with { DomainXml = existing.DomainXml } : snapshot;
    }

    private static DomainDefinition ParseEmbedded(string domainXml) => DomainDefinition.Parse(domainXml);
}
