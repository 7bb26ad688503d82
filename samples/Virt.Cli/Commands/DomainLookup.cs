using System.Globalization;
using Virt.Cli.Parsing;

namespace Virt.Cli.Commands;

/// <summary>Which ways a command may find its domain (virsh's <c>VIRSH_BYID</c>, <c>VIRSH_BYUUID</c>, <c>VIRSH_BYNAME</c>).</summary>
[Flags]
internal enum LookupBy
{
    /// <summary>By running id.</summary>
    Id = 1,
    /// <summary>By UUID (the 36-character form).</summary>
    Uuid = 2,
    /// <summary>By name.</summary>
    Name = 4,
    /// <summary>All three, in that order.</summary>
    Any = Id | Uuid | Name,
}

/// <summary>Finds the domain a command names, as virsh does: by id, then UUID, then name.</summary>
internal static class DomainLookup
{
    /// <summary>Finds the domain given in the command's <c>--domain</c> option.</summary>
    /// <param name="context">The shell.</param>
    /// <param name="command">The command.</param>
    /// <param name="by">Which lookups to try.</param>
    /// <returns>The domain.</returns>
    /// <exception cref="CommandFailedException">No domain matched; <c>failed to get domain 'X'</c> was printed.</exception>
    public static IVirtDomain Find(CommandContext context, ParsedCommand command, LookupBy by = LookupBy.Any)
    {
        string text = context.RequireString(command, "domain");
        var connection = context.Connection;
        var domain = TryFind(connection, text, by);
        if (domain is null)
        {
            context.Error($"failed to get domain '{text}'");
            throw new CommandFailedException();
        }

        return domain;
    }

    /// <summary>A domain id as virsh prints it: the number, or <c>-</c> for an inactive domain.</summary>
    public static string IdText(int? id) => id is { } value ? value.ToString(CultureInfo.InvariantCulture) : "-";

    private static IVirtDomain? TryFind(IVirtConnection connection, string text, LookupBy by)
    {
        if ((by & LookupBy.Id) != 0
            && int.TryParse(text, NumberStyles.AllowLeadingWhite | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int id)
            && id >= 0)
        {
            if (TryLookup(() => connection.LookupDomainById(id)) is { } byId)
            {
                return byId;
            }
        }

        if ((by & LookupBy.Uuid) != 0 && text.Length == 36 && Guid.TryParseExact(text, "D", out var uuid))
        {
            if (TryLookup(() => connection.LookupDomainByUuid(uuid)) is { } byUuid)
            {
                return byUuid;
            }
        }

        return (by & LookupBy.Name) != 0 ? TryLookup(() => connection.LookupDomainByName(text)) : null;
    }

    private static IVirtDomain? TryLookup(Func<IVirtDomain> lookup)
    {
        try
        {
            return lookup();
        }
        catch (VirtException)
        {
            return null;
        }
    }
}
