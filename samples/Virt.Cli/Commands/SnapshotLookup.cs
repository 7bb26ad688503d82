using System.Xml.Linq;
using Virt.Cli.Parsing;

namespace Virt.Cli.Commands;

/// <summary>Finds the snapshot a command names, by <c>--snapshotname</c> (or another option) or <c>--current</c>, as virsh's <c>virshLookupSnapshot</c>.</summary>
internal static class SnapshotLookup
{
    /// <summary>Finds the snapshot.</summary>
    /// <param name="context">The shell.</param>
    /// <param name="command">The command.</param>
    /// <param name="option">The option that names the snapshot.</param>
    /// <param name="exclusive">Whether naming one and <c>--current</c> together is an error.</param>
    /// <param name="domain">The domain.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="CommandFailedException">Neither or both were given; the message was printed.</exception>
    /// <exception cref="VirtException">No such snapshot, or no current one.</exception>
    public static IVirtDomainSnapshot Find(CommandContext context, ParsedCommand command, string option, bool exclusive, IVirtDomain domain)
    {
        bool current = command.Has("current");
        string? name = context.GetString(command, option);
        if (exclusive && current && name is not null)
        {
            context.Error($"--{option} and --current are mutually exclusive");
            throw new CommandFailedException();
        }

        if (name is not null)
        {
            return domain.LookupSnapshot(name);
        }

        if (current)
        {
            return domain.GetCurrentSnapshot();
        }

        context.Error($"--{option} or --current is required");
        throw new CommandFailedException();
    }

    /// <summary>The parent's name, or null for a root (virsh's <c>virshGetSnapshotParent</c>).</summary>
    public static string? ParentName(IVirtDomainSnapshot snapshot)
    {
        try
        {
            return snapshot.GetParent().Name;
        }
        catch (VirtException e) when (e.Code == VirtErrorCode.NoDomainSnapshot)
        {
            return null;
        }
    }

    /// <summary>Parses a snapshot's XML.</summary>
    public static XElement Xml(IVirtDomainSnapshot snapshot, SnapshotXmlFlags flags = SnapshotXmlFlags.None) =>
        DomainXml.Parse(snapshot.GetXmlDescription(flags)).Root ?? new XElement("domainsnapshot");
}
