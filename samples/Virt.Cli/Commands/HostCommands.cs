using Virt.Cli.Parsing;
using Virt.Cli.Shell;

namespace Virt.Cli.Commands;

/// <summary>Commands about the connection (virsh's "Host and Hypervisor" group): uri, version.</summary>
internal static class HostCommands
{
    public static CommandGroup Group => new("Host and Hypervisor", "host",
    [
        new("uri", [], "print the hypervisor canonical URI", string.Empty, Uri),
        new("version", [], "show version", "Display the system version information.", Version),
    ]);

    private static bool Uri(CommandContext context, ParsedCommand command)
    {
        context.Print(context.Connection.Uri + "\n");
        return true;
    }

    private static bool Version(CommandContext context, ParsedCommand command)
    {
        var connection = context.Connection;
        string library = VirtShell.LibraryVersion;
        string type = connection.HypervisorType;
        context.Print($"Compiled against library: {VirtShell.ProgramName} {library}\n");
        context.Print($"Using library: {VirtShell.ProgramName} {library}\n");
        context.Print($"Using API: {type} {library}\n");
        Version running;
        try
        {
            running = connection.GetHypervisorVersion();
        }
        catch (VirtException)
        {
            context.Error("failed to get the hypervisor version");
            throw;
        }

        context.Print($"Running hypervisor: {type} {running.Major}.{running.Minor}.{Math.Max(running.Build, 0)}\n");
        return true;
    }
}
