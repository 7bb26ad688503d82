using Virt.Drivers;
using Virt.Snapshot;
using Virt.Snapshot.Rules;

namespace Virt.Testing.Snapshots;

/// <summary>
/// The snapshot operations of one test connection, with libvirt's test-driver semantics (<c>testDomainSnapshot*</c>
/// in libvirt 9.0) and virsh's error wording. In memory only, like the test driver. The rules are the shared ones in
/// Virt.Snapshot (<see cref="SnapshotCreateFlagCheck"/>, <see cref="SnapshotCreateDefaults"/>,
/// <see cref="SnapshotRedefineRules"/>, <see cref="SnapshotRevertPlanner"/>); this class calls them with the test
/// driver's <see cref="Profile"/> and applies the results. The caller (the test connection) holds the host's lock
/// around every call. One deliberate difference: reverting to a shut-off snapshot with RUNNING or PAUSED starts the
/// domain (libvirt's test driver reports success but leaves it shut off, inconsistent with the flags and with the
/// QEMU driver).
/// </summary>
internal sealed class TestSnapshotOperations
{
    /// <summary>What the test driver supports: libvirt 9.0's <c>testDomainSnapshotCreateXML</c> and
    /// <c>testDomainRevertToSnapshot</c> flag lists; internal snapshots only.</summary>
    public static readonly SnapshotDriverProfile Profile = new()
    {
        DriverName = "test",
        CreateFlags = SnapshotCreateFlags.Redefine | SnapshotCreateFlags.Current | SnapshotCreateFlags.Halt | SnapshotCreateFlags.Quiesce
            | SnapshotCreateFlags.Atomic | SnapshotCreateFlags.Live | SnapshotCreateFlags.Validate,
        CreateFunction = "testDomainSnapshotCreateXML",
        RevertFlags = SnapshotRevertFlags.Running | SnapshotRevertFlags.Paused | SnapshotRevertFlags.Force,
        RevertFunction = "testDomainRevertToSnapshot",
        ExternalMemory = false,
        // The test driver has no native stat(2): an existing path that is not a directory counts as a file.
        IsRegularFile = File.Exists,
    };

    // libvirt 9.0's test driver does not accept METADATA_ONLY (the tree itself supports it for other drivers).
    private const SnapshotDeleteFlags SupportedDeleteFlags = SnapshotDeleteFlags.Children | SnapshotDeleteFlags.ChildrenOnly;

    public SnapshotIdentity Create(ISnapshotDomain domain, string xml, SnapshotCreateFlags flags)
    {
        SnapshotCreateFlagCheck.Check(flags, Profile);
        SnapshotCreateFlagCheck.CheckHalt(flags, domain.IsPersistent);
        bool redefine = (flags & SnapshotCreateFlags.Redefine) != 0;
        var def = SnapshotDefinition.Parse(xml, redefine ? SnapshotParseFlags.Redefine : SnapshotParseFlags.None);
        var tree = domain.Tree;
        if (redefine)
        {
            var prepared = SnapshotRedefineRules.Prepare(tree, def with { CookieXml = null }, domain.Identity.Uuid, flags, Profile);
            var stored = tree.Redefine(prepared, flags & (SnapshotCreateFlags.Current | SnapshotCreateFlags.DiskOnly));
            return new SnapshotIdentity(domain.Identity, stored.Name!);
        }

        var created = SnapshotCreateDefaults.Complete(def, flags, Profile, domain.State.State, SharedWithCurrent(tree, domain.FormatDefinitionForSnapshot()),
            inactiveDomainXml: null, tree.CurrentName);
        tree.Add(created, makeCurrent: true);
        if ((flags & SnapshotCreateFlags.Halt) != 0 && domain.State.State != DomainState.Shutoff)
        {
            domain.HaltAfterSnapshot();
        }

        return new SnapshotIdentity(domain.Identity, created.Name!);
    }

    public SnapshotIdentity Lookup(ISnapshotDomain domain, string name) => new(domain.Identity, domain.Tree.Get(name).Name!);

    public IReadOnlyList<SnapshotIdentity> List(ISnapshotDomain domain, SnapshotListFlags flags) => Identities(domain, domain.Tree.List(flags));

    public IReadOnlyList<SnapshotIdentity> ListChildren(ISnapshotDomain domain, string name, SnapshotListFlags flags) =>
        Identities(domain, domain.Tree.ListChildren(name, flags));

    public SnapshotIdentity? Current(ISnapshotDomain domain) =>
        domain.Tree.CurrentName is { } current ? new(domain.Identity, current) : null;

    public SnapshotIdentity? Parent(ISnapshotDomain domain, string name) =>
        domain.Tree.GetParentName(name) is { } parent ? new(domain.Identity, parent) : null;

    public bool IsCurrent(ISnapshotDomain domain, string name)
    {
        var tree = domain.Tree;
        _ = tree.Get(name);
        return tree.CurrentName == name;
    }

    public bool HasMetadata(ISnapshotDomain domain, string name)
    {
        _ = domain.Tree.Get(name);
        return true;
    }

    public string GetXml(ISnapshotDomain domain, string name, SnapshotXmlFlags flags)
    {
        DriverFlags.CheckSupported(flags, SnapshotXmlFlags.Secure, "testDomainSnapshotGetXMLDesc");
        return domain.Tree.Get(name).ToXml();
    }

    public void Delete(ISnapshotDomain domain, string name, SnapshotDeleteFlags flags)
    {
        DriverFlags.CheckSupported(flags, SupportedDeleteFlags, "testDomainSnapshotDelete");
        domain.Tree.Delete(name, flags);
    }

    public void Revert(ISnapshotDomain domain, string name, SnapshotRevertFlags flags)
    {
        SnapshotRevertPlanner.CheckFlags(flags, Profile);
        var tree = domain.Tree;
        var plan = SnapshotRevertPlanner.Plan(tree.Get(name), domain.Identity.Name, domain.State.State, domain.IsPersistent, flags, Profile);
        domain.ExecuteRevert(plan);
        tree.SetCurrent(name);
    }

    /// <summary>
    /// The domain usually has not changed since the current snapshot was taken: the new snapshot then records the very
    /// string the current one holds, so a series of snapshots keeps one copy of the definition instead of one each.
    /// </summary>
    private static string SharedWithCurrent(SnapshotTree tree, string domainXml) =>
        tree.Current?.DomainXml is { } recorded && string.Equals(recorded, domainXml, StringComparison.Ordinal) ? recorded : domainXml;

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
