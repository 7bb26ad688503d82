using Virt.Drivers;
using Virt.Snapshot;

namespace Virt.Testing.Snapshots;

/// <summary>
/// The snapshots of every domain of one test connection, with libvirt's test-driver semantics
/// (<c>testDomainSnapshot*</c> in libvirt 9.0) and virsh's error wording. In memory only, like the test driver.
/// The caller (the test connection) holds the host's lock around every call.
/// One deliberate difference: reverting to a shut-off snapshot with RUNNING or PAUSED starts the domain (libvirt's
/// test driver reports success but leaves it shut off, inconsistent with the flags and with the QEMU driver).
/// </summary>
internal sealed class TestSnapshots
{
    private const SnapshotCreateFlags SupportedCreateFlags =
        SnapshotCreateFlags.Redefine | SnapshotCreateFlags.Current | SnapshotCreateFlags.Halt | SnapshotCreateFlags.Quiesce
        | SnapshotCreateFlags.Atomic | SnapshotCreateFlags.Live | SnapshotCreateFlags.Validate;

    private readonly TimeProvider _clock;

    public TestSnapshots(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    public SnapshotIdentity Create(ISnapshotDomain domain, string xml, SnapshotCreateFlags flags)
    {
        CheckCreateFlags(flags);
        bool redefine = (flags & SnapshotCreateFlags.Redefine) != 0;
        if (!domain.IsPersistent && (flags & SnapshotCreateFlags.Halt) != 0)
        {
            throw new VirtException(VirtErrorCode.OperationInvalid, "cannot halt after transient domain snapshot");
        }

        var def = SnapshotDefinition.Parse(xml, redefine ? SnapshotParseFlags.Redefine : SnapshotParseFlags.None, _clock.GetUtcNow());
        var tree = Tree(domain);
        string name;
        if (redefine)
        {
            name = Redefine(domain, tree, def with { CookieXml = null }, flags);
        }
        else
        {
            name = CreateNew(domain, tree, def);
            if ((flags & SnapshotCreateFlags.Halt) != 0 && domain.State.State != DomainState.Shutoff)
            {
                domain.SetState(DomainState.Shutoff, (int)DomainShutoffReason.FromSnapshot);
            }
        }

        return new SnapshotIdentity(domain.Identity, name);
    }

    public SnapshotIdentity Lookup(ISnapshotDomain domain, string name)
    {
        return new(domain.Identity, Tree(domain).Get(name).Name!);
    }

    public IReadOnlyList<SnapshotIdentity> List(ISnapshotDomain domain, SnapshotListFlags flags)
    {
        return Identities(domain, Tree(domain).List(flags));
    }

    public IReadOnlyList<SnapshotIdentity> ListChildren(ISnapshotDomain domain, string name, SnapshotListFlags flags)
    {
        return Identities(domain, Tree(domain).ListChildren(name, flags));
    }

    public SnapshotIdentity? Current(ISnapshotDomain domain)
    {
        string? current = Tree(domain).CurrentName;
        return current is null ? null : new(domain.Identity, current);
    }

    public SnapshotIdentity? Parent(ISnapshotDomain domain, string name)
    {
        string? parent = Tree(domain).GetParentName(name);
        return parent is null ? null : new(domain.Identity, parent);
    }

    public bool IsCurrent(ISnapshotDomain domain, string name)
    {
        var tree = Tree(domain);
        _ = tree.Get(name);
        return tree.CurrentName == name;
    }

    public bool HasMetadata(ISnapshotDomain domain, string name)
    {
        _ = Tree(domain).Get(name);
        return true;
    }

    public string GetXml(ISnapshotDomain domain, string name, SnapshotXmlFlags flags)
    {
        if ((flags & ~SnapshotXmlFlags.Secure) != 0)
        {
            throw UnsupportedFlags((int)(flags & ~SnapshotXmlFlags.Secure), "testDomainSnapshotGetXMLDesc");
        }

        {
            return Tree(domain).Get(name).ToXml();
        }
    }

    public void Delete(ISnapshotDomain domain, string name, SnapshotDeleteFlags flags)
    {
        // libvirt 9.0's test driver does not accept METADATA_ONLY (the tree itself supports it for other drivers).
        const SnapshotDeleteFlags Supported = SnapshotDeleteFlags.Children | SnapshotDeleteFlags.ChildrenOnly;
        if ((flags & SnapshotDeleteFlags.Children) != 0 && (flags & SnapshotDeleteFlags.ChildrenOnly) != 0)
        {
            throw ExclusiveFlags("VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN", "VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY");
        }

        if ((flags & ~Supported) != 0)
        {
            throw UnsupportedFlags((int)(flags & ~Supported), "testDomainSnapshotDelete");
        }

        {
            Tree(domain).Delete(name, flags);
        }
    }

    public void Revert(ISnapshotDomain domain, string name, SnapshotRevertFlags flags)
    {
        const SnapshotRevertFlags Supported = SnapshotRevertFlags.Running | SnapshotRevertFlags.Paused | SnapshotRevertFlags.Force;
        bool running = (flags & SnapshotRevertFlags.Running) != 0;
        bool paused = (flags & SnapshotRevertFlags.Paused) != 0;
        if (running && paused)
        {
            throw ExclusiveFlags("VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING", "VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED");
        }

        if ((flags & ~Supported) != 0)
        {
            throw UnsupportedFlags((int)(flags & ~Supported), "testDomainRevertToSnapshot");
        }

        {
            var tree = Tree(domain);
            var snap = tree.Get(name);
            if (!domain.IsPersistent && !snap.IsOnline && !running && !paused)
            {
                throw new VirtException(VirtErrorCode.OperationInvalid, "transient domain needs to request run or pause to revert to inactive snapshot");
            }

            if ((flags & SnapshotRevertFlags.Force) == 0 && snap.DomainXml is null)
            {
                throw new VirtException(VirtErrorCode.SnapshotRevertRisky, $"snapshot '{name}' lacks domain '{domain.Identity.Name}' rollback info");
            }

            if (snap.DomainXml is not null)
            {
                domain.RestoreDefinition(snap.DomainXml, snap.InactiveDomainXml, snap.IsOnline);
            }

            bool active = domain.State.State != DomainState.Shutoff;
            if (snap.IsOnline || running || paused)
            {
                bool endPaused = !running && (paused || snap.State == SnapshotState.Paused);
                domain.SetState(
                    endPaused ? DomainState.Paused : DomainState.Running,
                    endPaused ? (int)DomainPausedReason.FromSnapshot : (int)DomainRunningReason.FromSnapshot);
            }
            else if (active)
            {
                domain.SetState(DomainState.Shutoff, (int)DomainShutoffReason.FromSnapshot);
            }

            tree.SetCurrent(name);
        }
    }

    private string CreateNew(ISnapshotDomain domain, SnapshotTree tree, SnapshotDefinition def)
    {
        var state = domain.State;
        var snapshotState = (SnapshotState)(int)state.State;
        if (def.Memory == SnapshotLocation.External)
        {
            throw new VirtException(VirtErrorCode.ConfigUnsupported, "the test driver does not support external memory snapshots");
        }

        string domainXml = domain.FormatDefinitionForSnapshot();
        var created = def with
        {
            State = snapshotState,
            ParentName = tree.CurrentName,
            Memory = def.Memory != SnapshotLocation.Default ? def.Memory
                : snapshotState == SnapshotState.Shutoff ? SnapshotLocation.No : SnapshotLocation.Internal,
            Disks = AlignDisks(def.Disks, SnapshotDomainDisks.Read(domainXml)),
            DomainXml = domainXml,
            InactiveDomainXml = null,
            CookieXml = null,
        };
        if (created.IsOffline && created.Memory != SnapshotLocation.No)
        {
            throw new VirtException(VirtErrorCode.XmlError, "memory state cannot be saved with offline or disk-only snapshot");
        }

        tree.Add(created, makeCurrent: true);
        return created.Name!;
    }

    private static string Redefine(ISnapshotDomain domain, SnapshotTree tree, SnapshotDefinition def, SnapshotCreateFlags flags)
    {
        string name = def.Name!;
        if (def.ParentName is { } parent && (parent == name || !tree.Contains(parent)))
        {
            // libvirt checks the parent first; the tree reports it in libvirt's words and changes nothing.
            return tree.Redefine(def, flags).Name!;
        }

        if (def.DomainXml is not null && SnapshotDomainDisks.Uuid(def.DomainXml) is { } uuid && uuid != domain.Identity.Uuid)
        {
            throw new VirtException(VirtErrorCode.InvalidArg, $"definition for snapshot {name} must use uuid {domain.Identity.Uuid:D}");
        }

        bool hasDomain = def.DomainXml is not null || (tree.TryGet(name, out var old) && old.DomainXml is not null);
        if (!hasDomain)
        {
            throw new VirtException(VirtErrorCode.InternalError, "missing domain in snapshot");
        }

        return tree.Redefine(def, flags & (SnapshotCreateFlags.Current | SnapshotCreateFlags.DiskOnly)).Name!;
    }

    /// <summary>libvirt's <c>virDomainSnapshotAlignDisks</c> for the test driver's internal snapshots: one entry per
    /// domain disk in the domain's order; read-only disks (and CD-ROMs) are not snapshotted.</summary>
    private static List<SnapshotDiskDefinition> AlignDisks(IReadOnlyList<SnapshotDiskDefinition> requested, IReadOnlyList<SnapshotDomainDisks.Disk> disks)
    {
        if (requested.Count > disks.Count)
        {
            throw new VirtException(VirtErrorCode.ConfigUnsupported, "too many disk snapshot requests for domain");
        }

        var byDisk = new Dictionary<SnapshotDomainDisks.Disk, SnapshotDiskDefinition>();
        foreach (var request in requested)
        {
            var disk = disks.FirstOrDefault(d => d.Target == request.Name) ?? disks.FirstOrDefault(d => d.Source == request.Name)
                ?? throw new VirtException(VirtErrorCode.ConfigUnsupported, $"no disk named '{request.Name}'");
            if (!byDisk.TryAdd(disk, request))
            {
                throw new VirtException(VirtErrorCode.ConfigUnsupported, $"disk '{request.Name}' specified twice");
            }

            var expected = disk.ReadOnly ? SnapshotLocation.No : SnapshotLocation.Internal;
            if (request.Snapshot != SnapshotLocation.Default && request.Snapshot != expected)
            {
                throw new VirtException(VirtErrorCode.ConfigUnsupported,
                    $"disk '{disk.Target}' must use snapshot mode '{(expected == SnapshotLocation.No ? "no" : "internal")}'");
            }
        }

        return disks.Select(d => new SnapshotDiskDefinition
        {
            Name = d.Target,
            Snapshot = d.ReadOnly || d.Source is null ? SnapshotLocation.No : SnapshotLocation.Internal,
        }).ToList();
    }

    private static void CheckCreateFlags(SnapshotCreateFlags flags)
    {
        bool redefine = (flags & SnapshotCreateFlags.Redefine) != 0;
        if ((flags & SnapshotCreateFlags.Current) != 0 && !redefine)
        {
            throw VirtException.WithoutPrefix(VirtErrorCode.InvalidArg,
                "Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE' is required by flag 'VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT'");
        }

        if (redefine && (flags & SnapshotCreateFlags.NoMetadata) != 0)
        {
            throw ExclusiveFlags("VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE", "VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA");
        }

        if (redefine && (flags & SnapshotCreateFlags.Halt) != 0)
        {
            throw new VirtException(VirtErrorCode.InvalidArg, "redefine and halt flags in virDomainSnapshotCreateXML are mutually exclusive");
        }

        if ((flags & ~SupportedCreateFlags) != 0)
        {
            throw UnsupportedFlags((int)(flags & ~SupportedCreateFlags), "testDomainSnapshotCreateXML");
        }
    }

    // libvirt words these without the "invalid argument: " prefix its other InvalidArg errors get.
    private static VirtException UnsupportedFlags(int flags, string function) => DriverFlags.Unsupported((uint)flags, function);

    private static VirtException ExclusiveFlags(string first, string second) => DriverFlags.Exclusive(first, second);

    private static SnapshotTree Tree(ISnapshotDomain domain) => domain.Snapshots;

    private static SnapshotIdentity[] Identities(ISnapshotDomain domain, IReadOnlyList<SnapshotDefinition> defs)
    {
        var result = new SnapshotIdentity[defs.Count];
        for (int i = 0; i < defs.Count; i++)
        {
            result[i] = new SnapshotIdentity(domain.Identity, defs[i].Name!);
        }

        return result;
    }
}
