using System.Security.Cryptography;
using Virt.Conf;
using Virt.Drivers;
using Virt.Drivers.Rules;
using Virt.Qemu.Driver.Nvram;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Driver.State;

namespace Virt.Qemu.Driver;

internal sealed partial class QemuDomainDriver
{
    /// <inheritdoc/>
    public override DomainIdentity DefineDomain(string xml, DomainDefineFlags flags)
    {
        DriverFlags.CheckSupported(flags, DomainDefineFlags.Validate, "qemuDomainDefineXMLFlags");
        var def = DomainDefinition.Parse(xml);
        QemuCommandLine.Accelerator(def, def.Devices.Emulator ?? QemuCommandLine.DefaultEmulator);
        Step?.Invoke("define:parsed");
        using var job = Job(def.Name, "define");
        Step?.Invoke("define:job");
        var sameName = TryLoad(def.Name);
        var sameUuid = def.Uuid is { } uuid ? (sameName?.Uuid == uuid ? sameName : FindByUuid(uuid)) : null;
        DomainDefineConflicts.Check(def.Name, def.Uuid ?? Guid.Empty, sameUuid?.AsDefined, sameName?.AsDefined);
        def.Uuid ??= sameName?.Uuid ?? Guid.NewGuid();
        AssignMacAddresses(def);
        DefineGeneratedIds.Fill(def);
        NvramStore.AssignPath(def, format => _root.NvramFile(def.Name, format));
        Step?.Invoke("define:checked");
        _files.WriteConfig(def);
        Step?.Invoke("define:written");
        if (sameName?.Status is { Transient: true } status)
        {
            _files.WriteStatus(def.Name, status with { Transient = false });
        }

        PublishDomainEvent(DomainLifecycleEvent.Of(IdentityOf(def), sameName?.IsPersistent == true ? DomainEventDefinedDetail.Updated : DomainEventDefinedDetail.Added));
        return IdentityOf(def);
    }

    /// <inheritdoc/>
    public override void UndefineDomain(DomainIdentity domain, DomainUndefineFlags flags)
    {
        DriverFlags.CheckSupported(flags, DomainUndefineFlags.ManagedSave | DomainUndefineFlags.SnapshotsMetadata | DomainUndefineFlags.Nvram
            | DomainUndefineFlags.KeepNvram, "qemuDomainUndefineFlags");
        DomainUndefineRules.CheckNvramFlags(flags);
        using var job = Job(domain.Name, "undefine");
        var view = Settle(Load(domain));
        if (view.Config is not { } config)
        {
            throw new VirtException(VirtErrorCode.OperationInvalid, "cannot undefine transient domain");
        }

        int snapshots = SnapshotCount(domain.Name);
        _ = DomainUndefineRules.MustRemoveSnapshotMetadata(view.IsActive, snapshots, flags);
        string? nvram = NvramPath(config);
        if (nvram is not null && File.Exists(nvram) && !flags.HasFlag(DomainUndefineFlags.Nvram) && !flags.HasFlag(DomainUndefineFlags.KeepNvram))
        {
            throw new VirtException(VirtErrorCode.OperationInvalid, "cannot undefine domain with nvram");
        }

        if (nvram is not null && flags.HasFlag(DomainUndefineFlags.Nvram) && !nvram.StartsWith(_root.DomainFolder(domain.Name) + "/", StringComparison.Ordinal))
        {
            File.Delete(nvram);
        }

        if (view.Status is { } status)
        {
            // A running domain only loses its persistent definition; it vanishes when it stops.
            _files.WriteStatus(domain.Name, status with { Transient = true });
            File.Delete(_root.ConfigFile(domain.Name));
            File.Delete(_root.AutostartFile(domain.Name));
            PublishDomainEvent(DomainLifecycleEvent.Of(domain, DomainEventUndefinedDetail.Removed));
            return;
        }


        if (nvram is not null && flags.HasFlag(DomainUndefineFlags.KeepNvram) && nvram.StartsWith(_root.DomainFolder(domain.Name) + "/", StringComparison.Ordinal))
        {
            // The NVRAM lives in the domain folder: keep that file, remove everything else.
            foreach (string entry in Directory.EnumerateFileSystemEntries(_root.DomainFolder(domain.Name)))
            {
                if (entry == nvram)
                {
                    continue;
                }

                if (Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
            }

            PublishDomainEvent(DomainLifecycleEvent.Of(domain, DomainEventUndefinedDetail.Removed));
            return;
        }

        _files.DeleteDomainFolder(domain.Name);
        PublishDomainEvent(DomainLifecycleEvent.Of(domain, DomainEventUndefinedDetail.Removed));
    }

    /// <inheritdoc/>
    public override DomainIdentity LookupDomainByName(string name) =>
        TryLoad(name) is { } view ? new(view.Name, view.Uuid)
        : throw new VirtException(VirtErrorCode.NoDomain, $"no domain with matching name '{name}'");

    /// <inheritdoc/>
    public override DomainIdentity LookupDomainByUuid(Guid uuid) =>
        FindByUuid(uuid) is { } view ? new(view.Name, view.Uuid)
        : throw new VirtException(VirtErrorCode.NoDomain, $"no domain with matching uuid '{uuid:D}'");

    /// <inheritdoc/>
    public override DomainIdentity LookupDomainById(int id) =>
        AllDomains().FirstOrDefault(v => Observe(v).Status?.Id == id) is { } view ? new(view.Name, view.Uuid)
        : throw new VirtException(VirtErrorCode.NoDomain, $"no domain with matching id {id}");

    /// <inheritdoc/>
    public override IReadOnlyList<DomainIdentity> ListAllDomains(ListDomainsFlags flags)
    {
        DriverFlags.CheckSupported(flags, DomainListFilter.Supported, "qemuConnectListAllDomains");
        var result = new List<DomainIdentity>();
        foreach (var found in AllDomains())
        {
            var view = Observe(found);
            var state = view.IsActive ? ObservedState(view).State : DomainState.Shutoff;
            // Autostart and snapshots are read only for a filter that asks about them.
            var entry = new DomainListEntry(state, view.IsPersistent,
                view.IsPersistent && DomainListFilter.AsksAutostart(flags) && _files.ReadAutostart(view.Name),
                SnapshotCount: view.IsPersistent && DomainListFilter.AsksSnapshots(flags) ? SnapshotCount(view.Name) : 0);
            if (DomainListFilter.Matches(entry, flags))
            {
                result.Add(new DomainIdentity(view.Name, view.Uuid));
            }
        }

        return result;
    }

    /// <inheritdoc/>
    public override bool IsDomainPersistent(DomainIdentity domain) => Peek(domain).IsPersistent;

    /// <inheritdoc/>
    public override int? GetDomainId(DomainIdentity domain) => Observe(Peek(domain)).Status?.Id;

    /// <inheritdoc/>
    public override bool GetDomainAutostart(DomainIdentity domain) => Peek(domain).IsPersistent && _files.ReadAutostart(domain.Name);

    /// <inheritdoc/>
    public override string GetDomainXml(DomainIdentity domain, DomainXmlFlags flags)
    {
        DriverFlags.CheckSupported(flags, DomainXmlFlags.Secure | DomainXmlFlags.Inactive | DomainXmlFlags.UpdateCpu | DomainXmlFlags.Migratable,
            "qemuDomainGetXMLDesc");
        var view = Observe(Load(domain));
        if (view.Status is { } status && (!flags.HasFlag(DomainXmlFlags.Inactive) || view.Config is null))
        {
            // The stored live XML keeps the graphics passwords; only a caller with Secure sees them.
            return flags.HasFlag(DomainXmlFlags.Secure) || !status.LiveXml.Contains("passwd=", StringComparison.Ordinal)
                ? status.LiveXml
                : DomainDefinition.Parse(status.LiveXml).ToXml(status.Id, flags);
        }

        return view.Config!.ToXml(flags);
    }

    /// <summary>The domain named as <paramref name="domain"/> says, with the same UUID.</summary>
    private DomainView Load(DomainIdentity domain) =>
        TryLoad(domain.Name) is { } view && view.Uuid == domain.Uuid ? view : throw NoDomain(domain);

    /// <summary>
    /// As <see cref="Load"/>, for a query that only reads: the name and UUID come from <see cref="DomainFileCache"/> (a
    /// definition another process changed is read again, one that does not parse is refused as by <see cref="Load"/>),
    /// the definition is parsed only if <see cref="DomainView.Config"/> is asked for. A view that a job changes files
    /// through must come from <see cref="Load"/>, whose definition is the one read before the change.
    /// </summary>
    private DomainView Peek(DomainIdentity domain)
    {
        if (domain.Name.Length == 0)
        {
            throw NoDomain(domain);
        }

        var header = DomainFileCache.ReadHeader(_root.ConfigFile(domain.Name));
        var status = _files.ReadStatus(domain.Name);
        if (header is null)
        {
            return status is not null && status.Uuid == domain.Uuid ? new DomainView(domain.Name, status.Uuid, config: null, status) : throw NoDomain(domain);
        }

        var uuid = header.Uuid ?? status?.Uuid;
        return uuid == domain.Uuid ? new DomainView(header.Name, domain.Uuid, () => _files.ReadConfig(domain.Name), status) : throw NoDomain(domain);
    }

    /// <summary>
    /// The domain's files as they are now: the definition's text is read here, so the view's
    /// <see cref="DomainView.Config"/> is the definition before any change the caller then makes, but it is parsed only
    /// if asked for (a repeated revert never needs it); its name and UUID come from one reader pass
    /// (<see cref="DomainHeaderReader"/>), the status from <see cref="DomainFileCache"/>.
    /// </summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.XmlError"/> when the definition is not well formed or lacks
    /// its identity; a definition wrong in other ways fails where <see cref="DomainView.Config"/> is read.</exception>
    private DomainView? TryLoad(string name)
    {
        if (name.Length == 0)
        {
            return null;
        }

        string? xml = DomainFiles.ReadConfigText(_root.ConfigFile(name));
        var status = DomainFileCache.ReadStatus(_root.StatusFile(name));
        if (xml is null)
        {
            return status is null ? null : new DomainView(name, status.Uuid, config: null, status);
        }

        var header = DomainHeaderReader.Read(xml);
        return new DomainView(header.Name, header.Uuid ?? status!.Uuid, () => DomainDefinition.Parse(xml), status);
    }

    private DomainView? FindByUuid(Guid uuid) => AllDomains().FirstOrDefault(v => v.Uuid == uuid);

    private IEnumerable<DomainView> AllDomains()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string folder in _root.DomainFolders().Concat(_root.RunFolders()))
        {
            if (!seen.Add(Path.GetFileName(folder)))
            {
                continue;
            }

            if (LoadFolder(folder) is { } view)
            {
                yield return view;
            }
        }
    }

    /// <summary>
    /// The domain whose files are in <paramref name="folder"/> (a definition or a runtime folder), for listing: its
    /// name and UUID and its status come from <see cref="DomainFileCache"/> (read again only when changed), its
    /// definition is parsed only if the view's <see cref="DomainView.Config"/> is asked for.
    /// </summary>
    private DomainView? LoadFolder(string folder)
    {
        string component = Path.GetFileName(folder);
        string configFile = Path.Combine(_root.DomainsFolder, component, "domain.xml");
        DomainHeader? header = null;
        try
        {
            header = DomainFileCache.ReadHeader(configFile);
        }
        catch (VirtException)
        {
            // An unreadable definition: the domain is listed through its status if it runs, else skipped.
        }

        if (header is { } found && _root.ConfigFile(found.Name) == configFile)
        {
            var status = DomainFileCache.ReadStatus(_root.StatusFile(found.Name));
            return new DomainView(found.Name, found.Uuid ?? status!.Uuid, () => _files.ReadConfig(found.Name), status);
        }

        string? name = header?.Name ?? DomainFileCache.ReadStatus(Path.Combine(_root.Run, component, "status.json"))?.Name;
        return name is null ? null : TryLoad(name);
    }

    private static void AssignMacAddresses(DomainDefinition def)
    {
        foreach (var nic in def.Devices.Interfaces)
        {
            if (nic.MacAddress is null)
            {
                byte[] tail = RandomNumberGenerator.GetBytes(3);
                nic.MacAddress = $"52:54:00:{tail[0]:x2}:{tail[1]:x2}:{tail[2]:x2}";
            }
        }
    }

    private static string? NvramPath(DomainDefinition def) => NvramStore.HasNvram(def) ? def.Os.Nvram?.Path : null;

    private int SnapshotCount(string name)
    {
        string folder = _root.SnapshotFolder(name);
        return Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.xml").Count() : 0;
    }
}
