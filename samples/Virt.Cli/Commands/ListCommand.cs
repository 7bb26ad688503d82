using System.Globalization;
using Virt.Cli.Output;
using Virt.Cli.Parsing;

namespace Virt.Cli.Commands;

/// <summary><c>list</c>: the domains, as a table or as bare ids, UUIDs and names.</summary>
internal static class ListCommand
{
    public static CommandDef Definition => new("list",
        [
            OptionDef.Flag("inactive", "list inactive domains"),
            OptionDef.Flag("all", "list inactive & active domains"),
            OptionDef.Flag("transient", "list transient domains"),
            OptionDef.Flag("persistent", "list persistent domains"),
            OptionDef.Flag("with-snapshot", "list domains with existing snapshot"),
            OptionDef.Flag("without-snapshot", "list domains without a snapshot"),
            OptionDef.Flag("with-checkpoint", "list domains with existing checkpoint"),
            OptionDef.Flag("without-checkpoint", "list domains without a checkpoint"),
            OptionDef.Flag("state-running", "list domains in running state"),
            OptionDef.Flag("state-paused", "list domains in paused state"),
            OptionDef.Flag("state-shutoff", "list domains in shutoff state"),
            OptionDef.Flag("state-other", "list domains in other states"),
            OptionDef.Flag("autostart", "list domains with autostart enabled"),
            OptionDef.Flag("no-autostart", "list domains with autostart disabled"),
            OptionDef.Flag("with-managed-save", "list domains with managed save state"),
            OptionDef.Flag("without-managed-save", "list domains without managed save"),
            OptionDef.Flag("uuid", "list uuid's only"),
            OptionDef.Flag("name", "list domain names only"),
            OptionDef.Flag("id", "list domain IDs only"),
            OptionDef.Flag("table", "list table (default)"),
            OptionDef.Flag("managed-save", "mark inactive domains with managed save state"),
            OptionDef.Flag("title", "show domain title"),
        ],
        "list domains", "Returns list of domains.", Run);

    private static readonly (string Option, ListDomainsFlags Flag)[] Filters =
    [
        ("transient", ListDomainsFlags.Transient),
        ("persistent", ListDomainsFlags.Persistent),
        ("with-snapshot", ListDomainsFlags.HasSnapshot),
        ("without-snapshot", ListDomainsFlags.NoSnapshot),
        ("state-running", ListDomainsFlags.Running),
        ("state-paused", ListDomainsFlags.Paused),
        ("state-shutoff", ListDomainsFlags.Shutoff),
        ("state-other", ListDomainsFlags.Other),
    ];

    private static bool Run(CommandContext context, ParsedCommand command)
    {
        bool uuid = command.Has("uuid");
        bool name = command.Has("name");
        bool id = command.Has("id");
        if (context.Exclusive(command, "table", "name")
            || context.Exclusive(command, "table", "uuid")
            || context.Exclusive(command, "table", "id"))
        {
            return false;
        }

        // As virsh: the default "active only" does not apply once a state filter is given.
        bool stateFilter = command.Has("state-running") || command.Has("state-paused") || command.Has("state-shutoff") || command.Has("state-other");
        var flags = stateFilter ? ListDomainsFlags.None : ListDomainsFlags.Active;
        if (command.Has("inactive"))
        {
            flags = ListDomainsFlags.Inactive;
        }

        if (command.Has("all"))
        {
            flags = ListDomainsFlags.Active | ListDomainsFlags.Inactive;
        }

        foreach (var (option, flag) in Filters)
        {
            flags |= command.Has(option) ? flag : 0;
        }

        IReadOnlyList<IVirtDomain> domains;
        try
        {
            domains = context.Connection.ListAllDomains(flags);
        }
        catch (VirtException)
        {
            context.Error("Failed to list domains");
            throw;
        }

        var rows = domains
            .Where(d => !command.Has("autostart") || d.Autostart)
            .Where(d => !command.Has("no-autostart") || !d.Autostart)
            // Virt has neither checkpoints nor managed save: no domain has one.
            .Where(_ => !command.Has("with-checkpoint") && !command.Has("with-managed-save"))
            .Select(d => (Domain: d, Id: d.Id))
            .ToList();
        rows.Sort(static (a, b) => (a.Id, b.Id) switch
        {
            (null, null) => VshNameOrder.Instance.Compare(a.Domain.Name, b.Domain.Name),
            ({ } x, { } y) => x.CompareTo(y),
            (not null, null) => -1,
            _ => 1,
        });

        if (!uuid && !name && !id)
        {
            bool title = command.Has("title");
            var table = title ? new VshTable("Id", "Name", "State", "Title") : new VshTable("Id", "Name", "State");
            foreach (var (domain, domainId) in rows)
            {
                string state = StateNames.State(domain.GetState().State);
                if (title)
                {
                    table.Add(DomainLookup.IdText(domainId), domain.Name, state, Title(domain));
                }
                else
                {
                    table.Add(DomainLookup.IdText(domainId), domain.Name, state);
                }
            }

            context.Print(table.Render(!context.Quiet));
            return true;
        }

        foreach (var (domain, domainId) in rows)
        {
            if (id && domainId is null && !uuid && !name)
            {
                continue;
            }

            var parts = new List<string>(3);
            if (uuid)
            {
                parts.Add(domain.Uuid.ToString("D", CultureInfo.InvariantCulture));
            }

            if (id)
            {
                parts.Add(DomainLookup.IdText(domainId));
            }

            if (name)
            {
                parts.Add(domain.Name);
            }

            context.Print(string.Join(' ', parts) + "\n");
        }

        return true;
    }

    private static string Title(IVirtDomain domain) =>
        DomainXml.Parse(domain.GetXmlDescription()).Root?.Element("title")?.Value ?? string.Empty;
}
