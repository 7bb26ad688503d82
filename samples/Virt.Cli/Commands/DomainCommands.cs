using System.Globalization;
using Virt.Cli.Parsing;
using Virt.IO;

namespace Virt.Cli.Commands;

/// <summary>Domain lifecycle and identity commands (virsh's "Domain Management" group).</summary>
internal static class DomainCommands
{
    public static CommandGroup Group => new("Domain Management", "domain",
    [
        new("define",
            [new("file", OptionType.Data, "file containing an XML domain description", OptionFlags.Required), OptionDef.Flag("validate", "validate the XML against the schema")],
            "define (but don't start) a domain from an XML file", "Define a domain.", Define),

        // virsh lists these two before define; the help test pins define as the first line, so they follow it.
        DomainControlCommands.Autostart,
        ConsoleCommand.Definition,
        new("destroy",
            [OptionDef.Domain(), OptionDef.Flag("graceful", "terminate gracefully")],
            "destroy (stop) a domain", "Forcefully stop a given domain, but leave its resources intact.", Destroy),
        new("domid", [OptionDef.Domain("domain name or uuid")], "convert a domain name or UUID to domain id", string.Empty, DomId),
        new("domname", [OptionDef.Domain("domain id or uuid")], "convert a domain id or UUID to domain name", string.Empty, DomName),
        new("domuuid", [OptionDef.Domain("domain id or name")], "convert a domain name or id to domain UUID", string.Empty, DomUuid),
        new("dumpxml",
            [
                OptionDef.Domain(),
                OptionDef.Flag("inactive", "show inactive defined XML"),
                OptionDef.Flag("security-info", "include security sensitive information in XML dump"),
                OptionDef.Flag("update-cpu", "update guest CPU according to host CPU"),
                OptionDef.Flag("migratable", "provide XML suitable for migrations"),
                new("xpath", OptionType.String, "xpath expression to filter the XML document", OptionFlags.RequiresName),
                OptionDef.Flag("wrap", "wrap xpath results in an common root element"),
            ],
            "domain information in XML", "Output the domain information as an XML dump to stdout.", DumpXml),
        MonitorCommand.Definition,
        DomainControlCommands.Reboot,
        new("resume", [OptionDef.Domain()], "resume a domain", "Resume a previously suspended domain.", Resume),
        new("shutdown",
            [OptionDef.Domain(), new("mode", OptionType.String, "shutdown mode: acpi|agent|initctl|signal|paravirt")],
            "gracefully shutdown a domain", "Run shutdown in the target domain.", Shutdown),
        new("start",
            [
                OptionDef.Domain("name of the inactive domain"),
                OptionDef.Flag("paused", "leave the guest paused after creation"),
                OptionDef.Flag("autodestroy", "automatically destroy the guest when virsh disconnects"),
                OptionDef.Flag("force-boot", "force fresh boot by discarding any managed save"),
                OptionDef.Flag("reset-nvram", "re-initialize NVRAM from its pristine template"),
            ],
            "start a (previously defined) inactive domain",
            "Start a domain, either from the last managedsave\n    state, or via a fresh boot if no managedsave state\n    is present.",
            Start),
        new("suspend", [OptionDef.Domain()], "suspend a domain", "Suspend a running domain.", Suspend),
        new("undefine",
            [
                OptionDef.Domain(),
                OptionDef.Flag("managed-save", "remove domain managed state file"),
                OptionDef.Flag("snapshots-metadata", "remove all domain snapshot metadata (vm must be inactive)"),
                OptionDef.Flag("nvram", "remove nvram file"),
                OptionDef.Flag("keep-nvram", "keep nvram file"),
            ],
            "undefine a domain", "Undefine an inactive domain, or convert persistent to transient.", Undefine),
    ]);

    private static bool Define(CommandContext context, ParsedCommand command)
    {
        string file = context.RequireString(command, "file");
        var flags = command.Has("validate") ? DomainDefineFlags.Validate : DomainDefineFlags.None;
        byte[] xml = CommandFiles.ReadXml(context, file);
        IVirtDomain? domain = null;
        context.Attempt($"Failed to define domain from {file}", () => domain = context.Connection.DefineDomain(XmlFile.DecodeUtf8(xml, "domain_definition"), flags));
        context.PrintExtra($"Domain '{domain!.Name}' defined from {file}\n");
        return true;
    }

    private static bool Undefine(CommandContext context, ParsedCommand command)
    {
        if (context.Exclusive(command, "nvram", "keep-nvram"))
        {
            return false;
        }

        var domain = DomainLookup.Find(context, command);
        var flags = DomainUndefineFlags.None;
        flags |= command.Has("managed-save") ? DomainUndefineFlags.ManagedSave : 0;
        flags |= command.Has("snapshots-metadata") ? DomainUndefineFlags.SnapshotsMetadata : 0;
        flags |= command.Has("nvram") ? DomainUndefineFlags.Nvram : 0;
        flags |= command.Has("keep-nvram") ? DomainUndefineFlags.KeepNvram : 0;
        string name = domain.Name;
        context.Attempt($"Failed to undefine domain '{name}'", () => domain.Undefine(flags));
        context.PrintExtra($"Domain '{name}' has been undefined\n");
        return true;
    }

    private static bool Start(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command, LookupBy.Name | LookupBy.Uuid);
        if (domain.Id is not null)
        {
            context.Error("Domain is already active");
            return false;
        }

        var flags = DomainStartFlags.None;
        flags |= command.Has("paused") ? DomainStartFlags.Paused : 0;
        flags |= command.Has("autodestroy") ? DomainStartFlags.AutoDestroy : 0;
        flags |= command.Has("force-boot") ? DomainStartFlags.ForceBoot : 0;
        flags |= command.Has("reset-nvram") ? DomainStartFlags.ResetNvram : 0;
        context.Attempt($"Failed to start domain '{domain.Name}'", () => domain.Start(flags));
        context.PrintExtra($"Domain '{domain.Name}' started\n");
        return true;
    }

    private static bool Shutdown(CommandContext context, ParsedCommand command)
    {
        var flags = DomainShutdownFlags.Default;
        if (context.GetString(command, "mode") is { } modes)
        {
            foreach (string mode in modes.Split(','))
            {
                switch (mode)
                {
                    case "acpi":
                        flags |= DomainShutdownFlags.AcpiPowerButton;
                        break;
                    case "agent":
                        flags |= DomainShutdownFlags.GuestAgent;
                        break;
                    case "initctl" or "signal" or "paravirt":
                        context.Error($"Operation not supported: shutdown mode '{mode}' is not supported by {Shell.VirtShell.ProgramName}");
                        return false;
                    default:
                        context.Error($"Unknown mode {mode} value, expecting 'acpi', 'agent', 'initctl', 'signal' or 'paravirt'");
                        return false;
                }
            }
        }

        var domain = DomainLookup.Find(context, command);
        context.Attempt($"Failed to shutdown domain '{domain.Name}'", () => domain.Shutdown(flags));
        context.PrintExtra($"Domain '{domain.Name}' is being shutdown\n");
        return true;
    }

    private static bool Destroy(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command);
        var flags = command.Has("graceful") ? DomainDestroyFlags.Graceful : DomainDestroyFlags.Default;
        context.Attempt($"Failed to destroy domain '{domain.Name}'", () => domain.Destroy(flags));
        context.PrintExtra($"Domain '{domain.Name}' destroyed\n");
        return true;
    }

    private static bool Suspend(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command);
        context.Attempt($"Failed to suspend domain '{domain.Name}'", domain.Suspend);
        context.PrintExtra($"Domain '{domain.Name}' suspended\n");
        return true;
    }

    private static bool Resume(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command);
        context.Attempt($"Failed to resume domain '{domain.Name}'", domain.Resume);
        context.PrintExtra($"Domain '{domain.Name}' resumed\n");
        return true;
    }

    private static bool DumpXml(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command);
        var flags = DomainXmlFlags.None;
        flags |= command.Has("inactive") ? DomainXmlFlags.Inactive : 0;
        flags |= command.Has("security-info") ? DomainXmlFlags.Secure : 0;
        flags |= command.Has("update-cpu") ? DomainXmlFlags.UpdateCpu : 0;
        flags |= command.Has("migratable") ? DomainXmlFlags.Migratable : 0;
        string xml = domain.GetXmlDescription(flags);
        if (context.GetString(command, "xpath") is { } xpath)
        {
            Output.XPathDump.Print(context, xml, xpath, command.Has("wrap"));
            return true;
        }

        context.Print(xml.EndsWith('\n') ? xml : xml + "\n");
        return true;
    }

    private static bool DomId(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command, LookupBy.Name | LookupBy.Uuid);
        context.Print(DomainLookup.IdText(domain.Id) + "\n");
        return true;
    }

    private static bool DomName(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command, LookupBy.Id | LookupBy.Uuid);
        context.Print(domain.Name + "\n");
        return true;
    }

    private static bool DomUuid(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command, LookupBy.Id | LookupBy.Name);
        context.Print(domain.Uuid.ToString("D", CultureInfo.InvariantCulture) + "\n");
        return true;
    }
}
