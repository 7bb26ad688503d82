using Virt.Cli.Parsing;

namespace Virt.Cli.Commands;

/// <summary><c>reboot</c> and <c>autostart</c>, worded as virsh's.</summary>
internal static class DomainControlCommands
{
    public static CommandDef Autostart => new("autostart",
        [OptionDef.Domain(), OptionDef.Flag("disable", "disable autostarting")],
        "autostart a domain", "Configure a domain to be automatically started at boot.", SetAutostart);

    public static CommandDef Reboot => new("reboot",
        [OptionDef.Domain(), new("mode", OptionType.String, "shutdown mode: acpi|agent|initctl|signal|paravirt")],
        "reboot a domain", "Run a reboot command in the target domain.", RebootDomain);

    private static bool SetAutostart(CommandContext context, ParsedCommand command)
    {
        var domain = DomainLookup.Find(context, command);
        bool enable = !command.Has("disable");
        context.Attempt(enable ? $"Failed to mark domain '{domain.Name}' as autostarted" : $"Failed to unmark domain '{domain.Name}' as autostarted",
            () => domain.SetAutostart(enable));
        context.PrintExtra(enable ? $"Domain '{domain.Name}' marked as autostarted\n" : $"Domain '{domain.Name}' unmarked as autostarted\n");
        return true;
    }

    private static bool RebootDomain(CommandContext context, ParsedCommand command)
    {
        var flags = DomainRebootFlags.Default;
        if (context.GetString(command, "mode") is { } modes)
        {
            foreach (string mode in modes.Split(','))
            {
                DomainRebootFlags? flag = mode switch
                {
                    "acpi" => DomainRebootFlags.AcpiPowerButton,
                    "agent" => DomainRebootFlags.GuestAgent,
                    "initctl" => DomainRebootFlags.Initctl,
                    "signal" => DomainRebootFlags.Signal,
                    "paravirt" => DomainRebootFlags.Paravirt,
                    _ => null,
                };
                if (flag is null)
                {
                    context.Error($"Unknown mode {mode} value, expecting 'acpi', 'agent', 'initctl', 'signal' or 'paravirt'");
                    return false;
                }

                flags |= flag.Value;
            }
        }

        var domain = DomainLookup.Find(context, command);
        context.Attempt($"Failed to reboot domain '{domain.Name}'", () => domain.Reboot(flags));
        context.PrintExtra($"Domain '{domain.Name}' is being rebooted\n");
        return true;
    }
}
