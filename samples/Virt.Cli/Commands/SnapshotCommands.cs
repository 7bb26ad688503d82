using System.Globalization;
using Virt.Cli.Parsing;
using Virt.IO;

namespace Virt.Cli.Commands;

/// <summary>Snapshot commands (virsh's "Snapshot" group). <c>snapshot-list</c> lives in <see cref="SnapshotListCommand"/>.</summary>
internal static class SnapshotCommands
{
    private static readonly OptionDef[] CreateFlags =
    [
        OptionDef.Flag("no-metadata", "take snapshot but create no metadata"),
        OptionDef.Flag("halt", "halt domain after snapshot is created"),
        OptionDef.Flag("disk-only", "capture disk state but not vm state"),
        OptionDef.Flag("reuse-external", "reuse any existing external files"),
        OptionDef.Flag("quiesce", "quiesce guest's file systems"),
        OptionDef.Flag("atomic", "require atomic operation"),
        OptionDef.Flag("live", "take a live snapshot"),
        OptionDef.Flag("validate", "validate the XML against the schema"),
    ];

    public static CommandGroup Group => new("Snapshot", "snapshot",
    [
        new("snapshot-create",
            [
                OptionDef.Domain(),
                new("xmlfile", OptionType.String, "domain snapshot XML"),
                OptionDef.Flag("redefine", "redefine metadata for existing snapshot"),
                OptionDef.Flag("current", "with redefine, set current snapshot"),
                .. CreateFlags,
            ],
            "Create a snapshot from XML", "Create a snapshot (disk and RAM) from XML", Create),
        new("snapshot-create-as",
            [
                OptionDef.Domain(),
                new("name", OptionType.String, "name of snapshot"),
                new("description", OptionType.String, "description of snapshot"),
                OptionDef.Flag("print-xml", "print XML document rather than create"),
                .. CreateFlags,
                new("memspec", OptionType.String, "memory attributes: [file=]name[,snapshot=type]", OptionFlags.RequiresName),
                new("diskspec", OptionType.Argv, "disk attributes: disk[,snapshot=type][,driver=type][,stype=type][,file=name]"),
            ],
            "Create a snapshot from a set of args", "Create a snapshot (disk and RAM) from arguments", CreateAs),
        new("snapshot-current",
            [
                OptionDef.Domain(),
                OptionDef.Flag("name", "list the name, rather than the full xml"),
                OptionDef.Flag("security-info", "include security sensitive information in XML dump"),
                new("snapshotname", OptionType.String, "name of existing snapshot to make current"),
            ],
            "Get or set the current snapshot", "Get or set the current snapshot", Current),
        new("snapshot-delete",
            [
                OptionDef.Domain(),
                new("snapshotname", OptionType.String, "snapshot name"),
                OptionDef.Flag("current", "delete current snapshot"),
                OptionDef.Flag("children", "delete snapshot and all children"),
                OptionDef.Flag("children-only", "delete children but not snapshot"),
                OptionDef.Flag("metadata", "delete only libvirt metadata, leaving snapshot contents behind"),
            ],
            "Delete a domain snapshot", "Snapshot Delete", Delete),
        new("snapshot-dumpxml",
            [
                OptionDef.Domain(),
                new("snapshotname", OptionType.Data, "snapshot name", OptionFlags.Required),
                OptionDef.Flag("security-info", "include security sensitive information in XML dump"),
                new("xpath", OptionType.String, "xpath expression to filter the XML document", OptionFlags.RequiresName),
                OptionDef.Flag("wrap", "wrap xpath results in an common root element"),
            ],
            "Dump XML for a domain snapshot", "Snapshot Dump XML", DumpXml),
        new("snapshot-info",
            [
                OptionDef.Domain(),
                new("snapshotname", OptionType.String, "snapshot name"),
                OptionDef.Flag("current", "info on current snapshot"),
            ],
            "snapshot information", "Returns basic information about a snapshot.", Info),
        SnapshotListCommand.Definition,
        new("snapshot-parent",
            [
                OptionDef.Domain(),
                new("snapshotname", OptionType.String, "find parent of snapshot name"),
                OptionDef.Flag("current", "find parent of current snapshot"),
            ],
            "Get the name of the parent of a snapshot", "Extract the snapshot's parent, if any", Parent),
        new("snapshot-revert",
            [
                OptionDef.Domain(),
                new("snapshotname", OptionType.String, "snapshot name"),
                OptionDef.Flag("current", "revert to current snapshot"),
                OptionDef.Flag("running", "after reverting, change state to running"),
                OptionDef.Flag("paused", "after reverting, change state to paused"),
                OptionDef.Flag("force", "try harder on risky reverts"),
                OptionDef.Flag("reset-nvram", "re-initialize NVRAM from its pristine template"),
            ],
            "Revert a domain to a snapshot", "Revert domain to snapshot", Revert),
    ]);

    private static SnapshotCreateFlags ReadCreateFlags(ParsedCommand command)
    {
        var flags = SnapshotCreateFlags.None;
        flags |= command.Has("redefine") ? SnapshotCreateFlags.Redefine : 0;
        flags |= command.Has("current") ? SnapshotCreateFlags.Current : 0;
        flags |= command.Has("no-metadata") ? SnapshotCreateFlags.NoMetadata : 0;
        flags |= command.Has("halt") ? SnapshotCreateFlags.Halt : 0;
        flags |= command.Has("disk-only") ? SnapshotCreateFlags.DiskOnly : 0;
        flags |= command.Has("reuse-external") ? SnapshotCreateFlags.ReuseExternal : 0;
        flags |= command.Has("quiesce") ? SnapshotCreateFlags.Quiesce : 0;
        flags |= command.Has("atomic") ? SnapshotCreateFlags.Atomic : 0;
        flags |= command.Has("live") ? SnapshotCreateFlags.Live : 0;
        flags |= command.Has("validate") ? SnapshotCreateFlags.Validate : 0;
        return flags;
    }

    private static bool Create(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command);
        string? file = context.GetString(command, "xmlfile");
        string xml = file is null ? "<domainsnapshot/>" : XmlFile.DecodeUtf8(CommandFiles.ReadXml(context, file), "domain_snapshot");
        return CreateFromXml(context, domain, xml, ReadCreateFlags(command), file);
    }

    private static bool CreateAs(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command);
        string xml = SnapshotSpec.Build(
            context,
            context.GetString(command, "name"),
            context.GetString(command, "description"),
            context.GetString(command, "memspec"),
            command.GetAll("diskspec"));
        if (command.Has("print-xml"))
        {
            context.Print(xml + "\n");
            return true;
        }

        return CreateFromXml(context, domain, xml, ReadCreateFlags(command), null);
    }

    private static bool CreateFromXml(CommandContext context, IVirtDomain domain, string xml, SnapshotCreateFlags flags, string? file)
    {
        var snapshot = domain.CreateSnapshot(xml, flags);
        if ((flags & SnapshotCreateFlags.Halt) != 0 && domain.IsActive)
        {
            context.Error("domain unexpectedly still running");
            return false;
        }

        context.PrintExtra(file is null
            ? $"Domain snapshot {snapshot.Name} created"
            : $"Domain snapshot {snapshot.Name} created from '{file}'");
        return true;
    }

    private static bool Current(CommandContext context, ParsedCommand command)
    {
        if (context.Exclusive(command, "name", "snapshotname"))
        {
            return false;
        }

        var domain = DomainLookup.Find(context, command);
        var xmlFlags = command.Has("security-info") ? SnapshotXmlFlags.Secure : SnapshotXmlFlags.None;
        string? name = context.GetString(command, "snapshotname");
        if (name is not null)
        {
            var snapshot = domain.LookupSnapshot(name);
            string xml = snapshot.GetXmlDescription(SnapshotXmlFlags.Secure);
            domain.CreateSnapshot(xml, SnapshotCreateFlags.Redefine | SnapshotCreateFlags.Current);
            context.PrintExtra($"Snapshot {name} set as current");
            return true;
        }

        if (!domain.HasCurrentSnapshot)
        {
            context.Error($"domain '{domain.Name}' has no current snapshot");
            return false;
        }

        var current = domain.GetCurrentSnapshot();
        context.Print(command.Has("name") ? current.Name : current.GetXmlDescription(xmlFlags));
        return true;
    }

    private static bool Delete(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command);
        var snapshot = SnapshotLookup.Find(context, command, "snapshotname", true, domain);
        string name = snapshot.Name;
        var flags = SnapshotDeleteFlags.None;
        flags |= command.Has("children") ? SnapshotDeleteFlags.Children : 0;
        flags |= command.Has("children-only") ? SnapshotDeleteFlags.ChildrenOnly : 0;
        flags |= command.Has("metadata") ? SnapshotDeleteFlags.MetadataOnly : 0;
        context.Attempt($"Failed to delete snapshot {name}", () => snapshot.Delete(flags));
        context.PrintExtra((flags & SnapshotDeleteFlags.ChildrenOnly) != 0
            ? $"Domain snapshot {name} children deleted\n"
            : $"Domain snapshot {name} deleted\n");
        return true;
    }

    private static bool DumpXml(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command);
        var snapshot = domain.LookupSnapshot(context.RequireString(command, "snapshotname"));
        string xml = snapshot.GetXmlDescription(command.Has("security-info") ? SnapshotXmlFlags.Secure : SnapshotXmlFlags.None);
        if (context.GetString(command, "xpath") is { } xpath)
        {
            Output.XPathDump.Print(context, xml, xpath, command.Has("wrap"));
            return true;
        }

        context.Print(xml);
        return true;
    }

    private static bool Info(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command);
        var snapshot = SnapshotLookup.Find(context, command, "snapshotname", true, domain);
        context.PrintField("Name:", snapshot.Name);
        context.PrintField("Domain:", domain.Name);
        context.PrintField("Current:", snapshot.IsCurrent ? "yes" : "no");
        var xml = SnapshotLookup.Xml(snapshot);
        string? state = xml.Element("state")?.Value;
        if (string.IsNullOrEmpty(state))
        {
            context.Error("unexpected problem reading snapshot xml");
            return false;
        }

        context.PrintField("State:", state);
        bool external = xml.Descendants("memory").Concat(xml.Descendants("disk"))
            .Any(e => (string?)e.Attribute("snapshot") == "external");
        context.PrintField("Location:", external ? "external" : "internal");
        string? parent = xml.Element("parent")?.Element("name")?.Value;
        context.PrintField("Parent:", string.IsNullOrEmpty(parent) ? "-" : parent);
        context.PrintField("Children:", snapshot.ListChildren().Count.ToString(CultureInfo.InvariantCulture));
        context.PrintField("Descendants:", snapshot.ListChildren(SnapshotListFlags.Descendants).Count.ToString(CultureInfo.InvariantCulture));
        context.PrintField("Metadata:", snapshot.HasMetadata ? "yes" : "no");
        return true;
    }

    private static bool Parent(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command);
        var snapshot = SnapshotLookup.Find(context, command, "snapshotname", true, domain);
        string? parent = SnapshotLookup.ParentName(snapshot);
        if (parent is null)
        {
            context.Error($"snapshot '{snapshot.Name}' has no parent");
            return false;
        }

        context.Print(parent);
        return true;
    }

    private static bool Revert(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command);
        var snapshot = SnapshotLookup.Find(context, command, "snapshotname", false, domain);
        var flags = SnapshotRevertFlags.None;
        flags |= command.Has("running") ? SnapshotRevertFlags.Running : 0;
        flags |= command.Has("paused") ? SnapshotRevertFlags.Paused : 0;
        flags |= command.Has("force") ? SnapshotRevertFlags.Force : 0;
        flags |= command.Has("reset-nvram") ? SnapshotRevertFlags.ResetNvram : 0;
        context.Attempt($"Failed to revert snapshot {snapshot.Name}", () => snapshot.Revert(flags));
        context.PrintExtra($"Domain snapshot {snapshot.Name} reverted\n");
        return true;
    }
}
