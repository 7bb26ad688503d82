using Virt.Cli.Parsing;

namespace Virt.Cli.Commands;

/// <summary>The command table: every group, in the order virsh's help lists them. New groups plug in here.</summary>
internal static class AllCommands
{
    public static CommandTable Create() => new(
    [
        DomainCommands.Group,
        MonitoringCommands.Group,
        EventCommand.Group,
        HostCommands.Group,
        SnapshotCommands.Group,
        ImageCommands.Group,
        VirshCommands.Group,
    ]);
}
