using System.Globalization;
using Virt.Cli.Output;
using Virt.Cli.Parsing;

namespace Virt.Cli.Commands;

/// <summary>Commands that report on domains (virsh's "Domain Monitoring" group).</summary>
internal static class MonitoringCommands
{
    public static CommandGroup Group => new("Domain Monitoring", "monitor",
    [
        new("domblklist",
            [
                OptionDef.Domain(),
                OptionDef.Flag("inactive", "get inactive rather than running configuration"),
                OptionDef.Flag("details", "additionally display the type and device value"),
            ],
            "list all domain blocks", "Get the summary of block devices for a domain.", DomBlkList),
        new("dominfo", [OptionDef.Domain()], "domain information", "Returns basic information about the domain.", DomInfo),
        new("domstate",
            [OptionDef.Domain(), OptionDef.Flag("reason", "also print reason for the state")],
            "domain state", "Returns state about a domain.", DomState),
        ListCommand.Definition,
    ]);

    private static bool DomState(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command);
        var state = domain.GetState();
        string text = StateNames.State(state.State);
        context.Print(command.Has("reason") ? $"{text} ({StateNames.Reason(state.State, state.Reason)})\n" : text + "\n");
        return true;
    }

    private static bool DomInfo(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command);
        context.PrintField("Id:", DomainLookup.IdText(domain.Id));
        context.PrintField("Name:", domain.Name);
        context.PrintField("UUID:", domain.Uuid.ToString("D", CultureInfo.InvariantCulture));
        context.PrintField("OS Type:", HostFacts.OsType(domain));
        var info = domain.GetInfo();
        context.PrintField("State:", StateNames.State(info.State));
        context.PrintField("CPU(s):", info.VirtualCpuCount.ToString(CultureInfo.InvariantCulture));
        if (info.CpuTime != TimeSpan.Zero)
        {
            context.PrintField("CPU time:", (info.CpuTime.Ticks / (double)TimeSpan.TicksPerSecond).ToString("F1", CultureInfo.InvariantCulture) + "s");
        }

        context.PrintField("Max memory:", info.MaxMemoryKiB == uint.MaxValue ? "no limit" : info.MaxMemoryKiB.ToString(CultureInfo.InvariantCulture) + " KiB");
        context.PrintField("Used memory:", info.MemoryKiB.ToString(CultureInfo.InvariantCulture) + " KiB");
        context.PrintField("Persistent:", Try(() => domain.IsPersistent) switch { true => "yes", false => "no", null => "unknown" });
        if (Try(() => domain.Autostart) is { } autostart)
        {
            context.PrintField("Autostart:", autostart ? "enable" : "disable");
        }

        context.PrintField("Managed save:", "no");
        foreach (var (label, text) in HostFacts.Security(domain))
        {
            context.PrintField(label, text);
        }

        return true;
    }

    private static bool DomBlkList(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command);
        bool details = command.Has("details");
        var xml = DomainXml.Parse(domain.GetXmlDescription(command.Has("inactive") ? DomainXmlFlags.Inactive : DomainXmlFlags.None));
        var table = details ? new VshTable("Type", "Device", "Target", "Source") : new VshTable("Target", "Source");
        var disks = xml.Root?.Element("devices")?.Elements("disk") ?? [];
        foreach (var disk in disks)
        {
            string? type = NonEmpty(disk.Attribute("type")?.Value);
            string? device = NonEmpty(disk.Attribute("device")?.Value);
            if (details && (type is null || device is null))
            {
                context.Print("unable to query block list details");
                return false;
            }

            string? target = NonEmpty(disk.Element("target")?.Attribute("dev")?.Value);
            if (target is null)
            {
                context.Error("unable to query block list");
                return false;
            }

            string source = NonEmpty(disk.Element("source")?.Attributes()
                .FirstOrDefault(a => a.Name.LocalName is "file" or "dev" or "dir" or "name" or "volume")?.Value) ?? "-";
            if (details)
            {
                table.Add(type!, device!, target, source);
            }
            else
            {
                table.Add(target, source);
            }
        }

        context.Print(table.Render(!context.Quiet));
        return true;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool? Try(Func<bool> read)
    {
        try
        {
            return read();
        }
        catch (VirtException)
        {
            return null;
        }
    }
}
