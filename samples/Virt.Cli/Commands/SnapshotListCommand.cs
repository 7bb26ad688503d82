using System.Globalization;
using System.Text;
using Virt.Cli.Output;
using Virt.Cli.Parsing;

namespace Virt.Cli.Commands;

/// <summary><c>snapshot-list</c>: a table, bare names, or a tree, filtered like virsh's.</summary>
internal static class SnapshotListCommand
{
    private static readonly (string Option, SnapshotListFlags Flag)[] TreeExclusiveFilters =
    [
        ("leaves", SnapshotListFlags.Leaves),
        ("no-leaves", SnapshotListFlags.NoLeaves),
        ("inactive", SnapshotListFlags.Inactive),
        ("active", SnapshotListFlags.Active),
        ("disk-only", SnapshotListFlags.DiskOnly),
        ("internal", SnapshotListFlags.Internal),
        ("external", SnapshotListFlags.External),
    ];

    public static CommandDef Definition => new("snapshot-list",
        [
            OptionDef.Domain(),
            OptionDef.Flag("parent", "add a column showing parent snapshot"),
            OptionDef.Flag("roots", "list only snapshots without parents"),
            OptionDef.Flag("leaves", "list only snapshots without children"),
            OptionDef.Flag("no-leaves", "list only snapshots that are not leaves (with children)"),
            OptionDef.Flag("metadata", "list only snapshots that have metadata that would prevent undefine"),
            OptionDef.Flag("no-metadata", "list only snapshots that have no metadata managed by libvirt"),
            OptionDef.Flag("inactive", "filter by snapshots taken while inactive"),
            OptionDef.Flag("active", "filter by snapshots taken while active (full system snapshots)"),
            OptionDef.Flag("disk-only", "filter by disk-only snapshots"),
            OptionDef.Flag("internal", "filter by internal snapshots"),
            OptionDef.Flag("external", "filter by external snapshots"),
            OptionDef.Flag("tree", "list snapshots in a tree"),
            new("from", OptionType.String, "limit list to children of given snapshot"),
            OptionDef.Flag("current", "limit list to children of current snapshot"),
            OptionDef.Flag("descendants", "with --from, list all descendants"),
            OptionDef.Flag("name", "list snapshot names only"),
            OptionDef.Flag("topological", "sort list topologically rather than by name"),
        ],
        "List snapshots for a domain", "Snapshot List", Run);

    private static bool Run(CommandContext context, ParsedCommand command)
    {
        bool tree = command.Has("tree");
        bool showParent = command.Has("parent");
        bool current = command.Has("current");
        bool from = command.Has("from");
        foreach (var (a, b) in new[] { ("tree", "name"), ("parent", "roots"), ("parent", "tree"), ("roots", "tree"), ("roots", "from"), ("roots", "current") })
        {
            if (context.Exclusive(command, a, b))
            {
                return false;
            }
        }

        var flags = SnapshotListFlags.None;
        foreach (var (option, flag) in TreeExclusiveFilters)
        {
            if (command.Has(option))
            {
                if (tree)
                {
                    context.Error($"--{option} and --tree are mutually exclusive");
                    return false;
                }

                flags |= flag;
            }
        }

        flags |= command.Has("topological") ? SnapshotListFlags.Topological : 0;
        flags |= command.Has("roots") ? SnapshotListFlags.Roots : 0;
        flags |= command.Has("metadata") ? SnapshotListFlags.Metadata : 0;
        flags |= command.Has("no-metadata") ? SnapshotListFlags.NoMetadata : 0;

        if (command.Has("descendants") && !from && !current)
        {
            context.Error("--descendants requires either --from or --current");
            return false;
        }

        var domain = DomainLookup.Find(context, command);
        IVirtDomainSnapshot? start = from || current ? SnapshotLookup.Find(context, command, "from", true, domain) : null;

        IReadOnlyList<IVirtDomainSnapshot> snapshots;
        if (start is not null)
        {
            if (command.Has("descendants"))
            {
                flags |= SnapshotListFlags.Descendants;
            }

            snapshots = start.ListChildren(flags);
        }
        else
        {
            snapshots = domain.ListSnapshots(flags);
        }

        if ((flags & SnapshotListFlags.Topological) == 0)
        {
            // Stable, in virsh's byte order with only ASCII letters folded.
            snapshots = [.. snapshots.OrderBy(s => s.Name, VshNameOrder.Instance)];
        }

        if (tree)
        {
            var nodes = new List<(string Name, string? Parent)>();
            if (start is not null)
            {
                nodes.Add((start.Name, null));
            }

            nodes.AddRange(snapshots.Select(s => (s.Name, SnapshotLookup.ParentName(s))));
            context.Print(SnapshotTreePrinter.Print(nodes));
            return true;
        }

        if (command.Has("name"))
        {
            foreach (var snapshot in snapshots)
            {
                context.Print(snapshot.Name + "\n");
            }

            return true;
        }

        var table = showParent ? new VshTable("Name", "Creation Time", "State", "Parent") : new VshTable("Name", "Creation Time", "State");
        foreach (var snapshot in snapshots)
        {
            var xml = SnapshotLookup.Xml(snapshot);
            string? state = xml.Element("state")?.Value;
            if (string.IsNullOrEmpty(state)
                || !long.TryParse(xml.Element("creationTime")?.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long created))
            {
                continue;
            }

            string time = FormatTime(created);
            if (showParent)
            {
                table.Add(snapshot.Name, time, state, xml.Element("parent")?.Element("name")?.Value ?? string.Empty);
            }
            else
            {
                table.Add(snapshot.Name, time, state);
            }
        }

        context.Print(table.Render(!context.Quiet));
        return true;
    }

    /// <summary>strftime's <c>%Y-%m-%d %H:%M:%S %z</c> in local time.</summary>
    internal static string FormatTime(long unixSeconds)
    {
        var local = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(unixSeconds, -62135596800L, 253402300799L)).ToLocalTime();
        var offset = local.Offset;
        char sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            + $" {sign}{offset.Hours:00}{offset.Minutes:00}";
    }
}
