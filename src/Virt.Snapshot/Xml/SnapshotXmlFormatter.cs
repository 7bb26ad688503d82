using System.Globalization;
using System.Text;
using Virt.Conf;

namespace Virt.Snapshot.Xml;

/// <summary>Writes domainsnapshot XML in libvirt's layout (<c>virDomainSnapshotDefFormat</c>).</summary>
internal static class SnapshotXmlFormatter
{
    public static string Format(SnapshotDefinition def)
    {
        var sb = new StringBuilder(def.DomainXml is null ? 256 : def.DomainXml.Length + 512);
        sb.Append("<domainsnapshot>\n");
        if (def.Name is not null)
        {
            Element(sb, 2, "name", def.Name);
        }

        if (def.Description is not null)
        {
            Element(sb, 2, "description", def.Description);
        }

        if (def.State != SnapshotState.NoState)
        {
            Element(sb, 2, "state", SnapshotXmlNames.ToXml(def.State));
        }

        if (def.ParentName is not null)
        {
            sb.Append("  <parent>\n");
            Element(sb, 4, "name", def.ParentName);
            sb.Append("  </parent>\n");
        }

        if (def.CreationTime != 0)
        {
            Element(sb, 2, "creationTime", def.CreationTime.ToString(CultureInfo.InvariantCulture));
        }

        if (def.Memory != SnapshotLocation.Default)
        {
            sb.Append("  <memory snapshot='").Append(SnapshotXmlNames.ToXml(def.Memory)).Append('\'');
            if (def.MemoryFile is not null)
            {
                sb.Append(" file='");
                LibvirtXmlWriter.AppendEscaped(sb, def.MemoryFile);
                sb.Append('\'');
            }

            sb.Append("/>\n");
        }

        if (def.Disks.Count > 0)
        {
            sb.Append("  <disks>\n");
            foreach (var disk in def.Disks)
            {
                Disk(sb, disk);
            }

            sb.Append("  </disks>\n");
        }

        if (def.RevertDisks.Count > 0)
        {
            sb.Append("  <revertDisks>\n");
            foreach (var disk in def.RevertDisks)
            {
                Disk(sb, disk);
            }

            sb.Append("  </revertDisks>\n");
        }

        if (def.DomainXml is not null)
        {
            Embed(sb, def.DomainXml, "domain", "domain XML of the snapshot");
        }

        if (def.InactiveDomainXml is not null)
        {
            Embed(sb, def.InactiveDomainXml, "inactiveDomain", "inactive domain XML of the snapshot");
        }

        if (def.CookieXml is not null)
        {
            var cookie = LiteXml.Load("<cookie>" + def.CookieXml + "</cookie>", "snapshot cookie XML");
            LiteXml.Write(sb, cookie, 2);
        }

        sb.Append("</domainsnapshot>\n");
        return sb.ToString();
    }

    private static void Disk(StringBuilder sb, SnapshotDiskDefinition disk)
    {
        sb.Append("    <disk name='");
        LibvirtXmlWriter.AppendEscaped(sb, disk.Name);
        sb.Append('\'');
        if (disk.Snapshot != SnapshotLocation.Default)
        {
            sb.Append(" snapshot='").Append(SnapshotXmlNames.ToXml(disk.Snapshot)).Append('\'');
        }

        bool hasSource = disk.SourcePath is not null || disk.DriverType is not null;
        if (hasSource && disk.SourceType is not null)
        {
            sb.Append(" type='");
            LibvirtXmlWriter.AppendEscaped(sb, disk.SourceType);
            sb.Append('\'');
        }

        if (!hasSource && !disk.DeleteInProgress)
        {
            sb.Append("/>\n");
            return;
        }

        sb.Append(">\n");
        if (disk.DeleteInProgress)
        {
            sb.Append("      <snapshotDeleteInProgress/>\n");
        }

        if (disk.DriverType is not null)
        {
            sb.Append("      <driver type='");
            LibvirtXmlWriter.AppendEscaped(sb, disk.DriverType);
            sb.Append("'/>\n");
        }

        if (disk.SourcePath is not null)
        {
            sb.Append("      <source ").Append(disk.SourceType == "block" ? "dev" : "file").Append("='");
            LibvirtXmlWriter.AppendEscaped(sb, disk.SourcePath);
            sb.Append("'/>\n");
        }

        sb.Append("    </disk>\n");
    }

    private static void Embed(StringBuilder sb, string domainXml, string rootName, string what)
    {
        var root = LiteXml.Load(domainXml, what);
        if (root.Name != "domain")
        {
            throw new VirtException(VirtErrorCode.XmlError, $"{what} must have root element 'domain', not '{root.Name}'");
        }

        LiteXml.Write(sb, root, 2, rootName);
    }

    private static void Element(StringBuilder sb, int indent, string name, string text)
    {
        sb.Append(' ', indent).Append('<').Append(name).Append('>');
        LibvirtXmlWriter.AppendEscaped(sb, text);
        sb.Append("</").Append(name).Append(">\n");
    }
}
