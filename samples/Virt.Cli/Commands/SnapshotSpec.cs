using System.Text;

namespace Virt.Cli.Commands;

/// <summary>Builds the domainsnapshot XML of <c>snapshot-create-as</c> from its arguments, as virsh does.</summary>
internal static class SnapshotSpec
{
    /// <summary>Builds the document.</summary>
    /// <param name="context">The shell, to report bad specs.</param>
    /// <param name="name">The snapshot name, if given.</param>
    /// <param name="description">The description, if given.</param>
    /// <param name="memspec">The memory spec, if given.</param>
    /// <param name="diskspecs">The disk specs.</param>
    /// <returns>The XML, ending in a newline.</returns>
    /// <exception cref="CommandFailedException">A spec could not be parsed; virsh's message was printed.</exception>
    public static string Build(CommandContext context, string? name, string? description, string? memspec, IReadOnlyList<string> diskspecs)
    {
        var xml = new StringBuilder("<domainsnapshot>\n");
        if (name is not null)
        {
            xml.Append("  <name>").Append(VshStrings.EscapeXml(name)).Append("</name>\n");
        }

        if (description is not null)
        {
            xml.Append("  <description>").Append(VshStrings.EscapeXml(description)).Append("</description>\n");
        }

        if (memspec is not null)
        {
            AppendMemory(context, xml, memspec);
        }

        if (diskspecs.Count > 0)
        {
            xml.Append("  <disks>\n");
            foreach (string spec in diskspecs)
            {
                AppendDisk(context, xml, spec);
            }

            xml.Append("  </disks>\n");
        }

        return xml.Append("</domainsnapshot>\n").ToString();
    }

    private static void AppendMemory(CommandContext context, StringBuilder xml, string spec)
    {
        string? snapshot = null;
        string? file = null;
        var parts = VshStrings.SplitEscaped(spec);
        foreach (string part in parts)
        {
            if (snapshot is null && part.StartsWith("snapshot=", StringComparison.Ordinal))
            {
                snapshot = part["snapshot=".Length..];
            }
            else if (file is null && part.StartsWith("file=", StringComparison.Ordinal))
            {
                file = part["file=".Length..];
            }
            else if (file is null && part.StartsWith('/'))
            {
                file = part;
            }
            else
            {
                context.Error($"unable to parse memspec: {spec}");
                throw new CommandFailedException();
            }
        }

        xml.Append("  <memory");
        if (snapshot is not null)
        {
            xml.Append(" snapshot='").Append(VshStrings.EscapeXml(snapshot)).Append('\'');
        }

        if (file is not null)
        {
            xml.Append(" file='").Append(VshStrings.EscapeXml(file)).Append('\'');
        }

        xml.Append("/>\n");
    }

    private static void AppendDisk(CommandContext context, StringBuilder xml, string spec)
    {
        var parts = VshStrings.SplitEscaped(spec);
        string? snapshot = null, driver = null, stype = null, file = null;
        foreach (string part in parts.Skip(1))
        {
            if (snapshot is null && part.StartsWith("snapshot=", StringComparison.Ordinal))
            {
                snapshot = part["snapshot=".Length..];
            }
            else if (driver is null && part.StartsWith("driver=", StringComparison.Ordinal))
            {
                driver = part["driver=".Length..];
            }
            else if (stype is null && part.StartsWith("stype=", StringComparison.Ordinal))
            {
                stype = part["stype=".Length..];
            }
            else if (file is null && part.StartsWith("file=", StringComparison.Ordinal))
            {
                file = part["file=".Length..];
            }
            else
            {
                context.Error($"unable to parse diskspec: {spec}");
                throw new CommandFailedException();
            }
        }

        if (stype is not null and not ("file" or "block"))
        {
            context.Error($"Unknown storage type: '{stype}'");
            context.Error($"unable to parse diskspec: {spec}");
            throw new CommandFailedException();
        }

        xml.Append("    <disk name='").Append(VshStrings.EscapeXml(parts[0])).Append('\'');
        if (snapshot is not null)
        {
            xml.Append(" snapshot='").Append(snapshot).Append('\'');
        }

        if (stype is not null)
        {
            xml.Append(" type='").Append(stype).Append('\'');
        }

        if (driver is null && file is null)
        {
            xml.Append("/>\n");
            return;
        }

        xml.Append(">\n");
        if (driver is not null)
        {
            xml.Append("      <driver type='").Append(driver).Append("'/>\n");
        }

        if (file is not null)
        {
            xml.Append("      <source ").Append(stype == "block" ? "dev" : "file").Append("='").Append(VshStrings.EscapeXml(file)).Append("'/>\n");
        }

        xml.Append("    </disk>\n");
    }
}
