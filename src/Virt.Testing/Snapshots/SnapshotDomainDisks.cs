using System.Xml;
using System.Xml.Linq;
using Virt.Conf;

namespace Virt.Testing.Snapshots;

/// <summary>The disks of a domain definition, read from its XML, as snapshot disk alignment needs them.</summary>
internal static class SnapshotDomainDisks
{
    public sealed record Disk(string Target, string? Source, bool ReadOnly);

    public static IReadOnlyList<Disk> Read(string domainXml)
    {
        var root = Load(domainXml).Root!;
        var disks = new List<Disk>();
        foreach (var disk in root.Element("devices")?.Elements("disk") ?? [])
        {
            string? target = disk.Element("target")?.Attribute("dev")?.Value;
            if (target is null)
            {
                continue;
            }

            var source = disk.Element("source");
            string? path = source?.Attribute("file")?.Value ?? source?.Attribute("dev")?.Value;
            string device = disk.Attribute("device")?.Value ?? "disk";
            bool readOnly = disk.Element("readonly") is not null || device is "cdrom" or "floppy";
            disks.Add(new Disk(target, path, readOnly));
        }

        return disks;
    }

    public static Guid? Uuid(string domainXml) =>
        Guid.TryParse(Load(domainXml).Root!.Element("uuid")?.Value, out var uuid) ? uuid : null;

    private static XDocument Load(string xml)
    {
        // The driver's own re-serialised domain XML, already bounded where it was read: no size cap here.
        var settings = SafeXml.ReaderSettings(maxCharacters: 0);
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        return XDocument.Load(reader);
    }
}
