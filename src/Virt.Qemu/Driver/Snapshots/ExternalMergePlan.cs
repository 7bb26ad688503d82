using Virt.Conf;
using Virt.Qemu.Images;
using Virt.Snapshot;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>How one disk's files change when an external snapshot goes.</summary>
internal enum ExternalMergeKind
{
    /// <summary>Nothing is merged: the point-in-time file is still named by something else, or nothing is above it (it
    /// then goes with the snapshot if nothing references it).</summary>
    None,

    /// <summary>The one layer above the point-in-time file is committed into it, then goes; whatever named the layer
    /// names the point-in-time file.</summary>
    Commit,

    /// <summary>The point-in-time file is streamed into each of the layers above it (they then back onto its backing
    /// file), then goes.</summary>
    Stream,
}

/// <summary>One disk's merge.</summary>
/// <param name="Disk">The disk's target (<c>vda</c>).</param>
/// <param name="PointInTime">The file the snapshot recorded for the disk (F), canonical.</param>
/// <param name="Format">F's format.</param>
/// <param name="Backing">F's backing file, canonical, or null when F stands alone.</param>
/// <param name="BackingFormat">The backing file's format, or null.</param>
/// <param name="Kind">What happens.</param>
/// <param name="Layers">The referenced files whose backing file is F (one for a commit), canonical.</param>
internal sealed record ExternalMergeDisk(string Disk, string PointInTime, string Format, string? Backing, string? BackingFormat, ExternalMergeKind Kind, IReadOnlyList<string> Layers);

/// <summary>
/// What deleting external snapshot S does to the files, decided before anything changes (the design in
/// Driver/README.md). For each disk S took externally, F is the file S's embedded definition names. If anything else
/// still names F as a disk source (the live or persistent definition, another snapshot's definitions), F stays as it
/// is. Otherwise the layers directly above F (referenced files whose backing is F) decide: none, F simply goes when
/// nothing references it; one layer C, C is committed into F; several, F is streamed into each. A merge that would
/// destroy internal snapshots (held by the C committed away, or by the F streamed away: libvirt 11.0's data-loss case)
/// is refused, as is a snapshot whose chains cannot be followed.
/// </summary>
/// <param name="Snapshot">S.</param>
/// <param name="Disks">The disks S took externally, in S's order.</param>
/// <param name="Candidates">Every file that may be left unreferenced once S is gone (S's chains, overlays, memory file,
/// NVRAM copy), canonical: those nothing references afterwards are deleted.</param>
internal sealed record ExternalMergePlan(SnapshotDefinition Snapshot, IReadOnlyList<ExternalMergeDisk> Disks, IReadOnlyList<string> Candidates)
{
    /// <summary>Plans the delete of <paramref name="snapshot"/>.</summary>
    /// <param name="snapshot">The external snapshot.</param>
    /// <param name="others">Every other snapshot of the tree.</param>
    /// <param name="definitions">The live definition of a running domain and the persistent definition, whichever exist.</param>
    /// <param name="nvramCopyOf">The NVRAM copy path of a snapshot name.</param>
    /// <param name="goingTags">Internal snapshots that the same delete removes first (descendants deleted with CHILDREN): a
    /// file holding only those does not block the merge.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationFailed"/> when a backing chain cannot be followed or a
    /// recorded file is missing; <see cref="VirtErrorCode.OperationUnsupported"/> when a merge would destroy internal snapshots.</exception>
    public static ExternalMergePlan Of(SnapshotDefinition snapshot, IReadOnlyList<SnapshotDefinition> others, IReadOnlyList<DomainDefinition?> definitions,
        Func<string, string> nvramCopyOf, IReadOnlySet<string>? goingTags = null)
    {
        string name = snapshot.Name!;
        var refs = ExternalReferences.Of(definitions, others, nvramCopyOf);
        if (!refs.IsComplete)
        {
            throw new VirtException(VirtErrorCode.OperationFailed,
                $"cannot delete snapshot '{name}': the backing chains of the domain's disks cannot be followed ({refs.Problems[0]}); nothing was changed");
        }

        var named = NamedSources(definitions, others);
        var point = snapshot.DomainXml is { } xml ? DomainDefinition.Parse(xml) : null;
        var disks = new List<ExternalMergeDisk>();
        var candidates = new List<string>();
        foreach (var disk in snapshot.Disks.Where(d => d.Snapshot == SnapshotLocation.External))
        {
            if (disk.SourcePath is { } overlay)
            {
                candidates.Add(ExternalReferences.Canonical(overlay));
            }

            if (point?.Devices.Disks.FirstOrDefault(d => d.TargetDev == disk.Name) is not { Source: { } source } domainDisk)
            {
                continue;
            }

            disks.Add(PlanDisk(name, disk.Name, source, domainDisk.DriverType ?? "raw", refs, named, goingTags));
        }

        foreach (string? xmlOf in new[] { snapshot.DomainXml, snapshot.InactiveDomainXml })
        {
            if (xmlOf is null)
            {
                continue;
            }

            foreach (var domainDisk in DomainDefinition.Parse(xmlOf).Devices.Disks)
            {
                if (domainDisk.Source is { } source && domainDisk.Type is "file" or "block")
                {
                    candidates.AddRange(ExternalReferences.ChainOf(source, domainDisk.DriverType));
                }
            }
        }

        if (snapshot.Memory == SnapshotLocation.External && snapshot.MemoryFile is { } memory)
        {
            candidates.Add(ExternalReferences.Canonical(memory));
        }

        candidates.Add(ExternalReferences.Canonical(nvramCopyOf(name)));
        return new ExternalMergePlan(snapshot, disks, [.. candidates.Distinct(StringComparer.Ordinal)]);
    }

    private static ExternalMergeDisk PlanDisk(string snapshot, string disk, string source, string format, ExternalReferences refs, HashSet<string> named,
        IReadOnlySet<string>? goingTags)
    {
        string file = ExternalReferences.Canonical(source);
        if (!File.Exists(file))
        {
            throw new VirtException(VirtErrorCode.OperationFailed,
                $"cannot delete snapshot '{snapshot}': the file '{file}' it recorded for disk '{disk}' does not exist; nothing was changed");
        }

        string? backing = null, backingFormat = null;
        if (format == "qcow2" && QemuImage.GetInfo(file, format) is { FullBackingFilename: { } b } info)
        {
            backing = ExternalReferences.Canonical(b);
            backingFormat = info.BackingFormat;
        }

        var layers = refs.LayersAbove(file);
        var kind = named.Contains(file) || layers.Count == 0 ? ExternalMergeKind.None
            : layers.Count == 1 ? ExternalMergeKind.Commit
            : ExternalMergeKind.Stream;
        var merged = new ExternalMergeDisk(disk, file, format, backing, backingFormat, kind, layers);
        string? goes = kind switch
        {
            ExternalMergeKind.Commit => layers[0],
            ExternalMergeKind.Stream => file,
            _ => null,
        };
        if (goes is not null && InternalSnapshots(goes).Where(t => goingTags?.Contains(t) != true).ToList() is { Count: > 0 } tags)
        {
            throw new VirtException(VirtErrorCode.OperationUnsupported,
                $"cannot delete external snapshot '{snapshot}': merging disk '{disk}' would delete '{goes}', which holds internal snapshots ({string.Join(", ", tags)}); delete them first or delete only the metadata of '{snapshot}'");
        }

        return merged;
    }

    /// <summary>The disk sources every definition names (the point-in-time files of the other snapshots and the active
    /// layers), canonical.</summary>
    private static HashSet<string> NamedSources(IReadOnlyList<DomainDefinition?> definitions, IReadOnlyList<SnapshotDefinition> others)
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        var all = definitions.Where(d => d is not null).Select(d => d!).ToList();
        foreach (var other in others)
        {
            foreach (string? xml in new[] { other.DomainXml, other.InactiveDomainXml })
            {
                if (xml is not null)
                {
                    all.Add(DomainDefinition.Parse(xml));
                }
            }
        }

        foreach (var def in all)
        {
            foreach (var disk in def.Devices.Disks)
            {
                if (disk.Source is { } source)
                {
                    named.Add(ExternalReferences.Canonical(source));
                }
            }
        }

        return named;
    }

    private static List<string> InternalSnapshots(string file)
    {
        try
        {
            return QemuImage.GetInfo(file).Snapshots.Select(s => s.Name).ToList();
        }
        catch (VirtException)
        {
            return [];
        }
    }
}
