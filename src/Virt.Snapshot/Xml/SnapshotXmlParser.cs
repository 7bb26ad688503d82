using System.Globalization;
using System.Text;

namespace Virt.Snapshot.Xml;

/// <summary>Reads domainsnapshot XML with libvirt's rules (<c>virDomainSnapshotDefParse</c>) and messages.</summary>
internal static class SnapshotXmlParser
{
    private const string What = "domain snapshot XML";

    public static SnapshotDefinition Parse(string xml, SnapshotParseFlags flags, DateTimeOffset now)
    {
        var root = LiteXml.Load(xml, What);
        if (root.Name != "domainsnapshot")
        {
            throw Error($"expecting root element of 'domainsnapshot', not '{root.Name}'");
        }

        bool redefine = (flags & SnapshotParseFlags.Redefine) != 0;
        string? name = String(root.Element("name"));
        if (name is null && redefine)
        {
            throw Error("a redefined snapshot must have a name");
        }

        string? description = String(root.Element("description"));
        long creationTime = 0;
        string? parentName = null;
        var state = SnapshotState.NoState;
        bool offline = false;
        string? domainXml = null;
        string? inactiveDomainXml = null;
        string? cookieXml = null;

        if (redefine)
        {
            // libvirt (virXPathLongLong, strtoll) accepts leading white space and a sign, nothing after the digits,
            // and reports a missing, malformed or out-of-range value alike as an internal error.
            string? created = String(root.Element("creationTime"));
            if (created is null
                || !long.TryParse(created, NumberStyles.AllowLeadingWhite | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out creationTime))
            {
                throw new VirtException(VirtErrorCode.InternalError, "missing creationTime from existing snapshot");
            }

            parentName = String(root.Element("parent")?.Element("name"));
            string? stateText = String(root.Element("state"));
            if (stateText is null)
            {
                throw Error("missing state from existing snapshot");
            }

            var parsed = SnapshotXmlNames.ParseState(stateText);
            if (parsed is null or SnapshotState.NoState)
            {
                throw new VirtException(VirtErrorCode.ConfigUnsupported, $"Invalid state '{stateText}' in domain snapshot XML");
            }

            state = parsed.Value;
            offline = state is SnapshotState.Shutoff or SnapshotState.DiskSnapshot;
            domainXml = DomainString(root.Element("domain"), ignoreUuidOnly: true);
            inactiveDomainXml = DomainString(root.Element("inactiveDomain"), ignoreUuidOnly: false);
            var cookie = root.Element("cookie");
            if (cookie is not null && !offline)
            {
                cookieXml = InnerXml(cookie);
            }
        }
        else
        {
            creationTime = now.ToUnixTimeSeconds();
            name ??= creationTime.ToString(CultureInfo.InvariantCulture);
        }

        var (memory, memoryFile) = ParseMemory(root.Element("memory"), redefine, offline);
        var disks = ParseDisks(root.Element("disks"), redefine);
        var revertDisks = redefine ? ParseDisks(root.Element("revertDisks"), redefine) : [];

        return new SnapshotDefinition
        {
            Name = name,
            Description = description,
            State = state,
            ParentName = parentName,
            CreationTime = creationTime,
            Memory = memory,
            MemoryFile = memoryFile,
            Disks = disks,
            RevertDisks = revertDisks,
            DomainXml = domainXml,
            InactiveDomainXml = inactiveDomainXml,
            CookieXml = cookieXml,
        };
    }

    private static (SnapshotLocation, string?) ParseMemory(LiteElement? element, bool redefine, bool offline)
    {
        string? snapshot = Empty(element?.Attribute("snapshot"));
        string? file = Empty(element?.Attribute("file"));
        var memory = SnapshotLocation.Default;
        if (snapshot is not null)
        {
            var parsed = SnapshotXmlNames.ParseLocation(snapshot);
            if (parsed is null or SnapshotLocation.Default)
            {
                throw Error($"unknown memory snapshot setting '{snapshot}'");
            }

            if (parsed == SnapshotLocation.Manual)
            {
                throw Error("'manual' memory snapshot mode not supported");
            }

            memory = parsed.Value;
            if (file is not null && memory != SnapshotLocation.External)
            {
                throw Error($"memory filename '{file}' requires external snapshot");
            }

            if (file is null && memory == SnapshotLocation.External)
            {
                throw Error("external memory snapshots require a filename");
            }
        }
        else if (file is not null)
        {
            memory = SnapshotLocation.External;
        }
        else if (redefine)
        {
            memory = offline ? SnapshotLocation.No : SnapshotLocation.Internal;
        }

        if (offline && memory != SnapshotLocation.Default && memory != SnapshotLocation.No)
        {
            throw Error("memory state cannot be saved with offline or disk-only snapshot");
        }

        if (file is not null && !file.StartsWith('/'))
        {
            throw Error($"memory snapshot file path ({file}) must be absolute");
        }

        return (memory, file);
    }

    private static List<SnapshotDiskDefinition> ParseDisks(LiteElement? parent, bool redefine)
    {
        var disks = new List<SnapshotDiskDefinition>();
        if (parent is not null)
        {
            foreach (var disk in parent.Elements())
            {
                disks.Add(ParseDisk(disk, parent.Name, redefine));
            }
        }

        return disks;
    }

    /// <summary>libvirt's <c>virDomainSnapshotDiskDefParseXML</c> for the storage types this model carries.</summary>
    private static SnapshotDiskDefinition ParseDisk(LiteElement disk, string parentName, bool redefine)
    {
        if (disk.Name != "disk")
        {
            throw Error($"unexpected element '{disk.Name}' in <{parentName}>: expected <disk>");
        }

        string? name = Empty(disk.Attribute("name"))
            ?? throw Error("missing name from disk snapshot element");
        var location = SnapshotLocation.Default;
        string? snapshot = disk.Attribute("snapshot");
        if (snapshot is not null)
        {
            var parsed = SnapshotXmlNames.ParseLocation(snapshot);
            if (parsed is null or SnapshotLocation.Default)
            {
                throw Error($"Invalid value for attribute 'snapshot' in element 'disk': '{snapshot}'.");
            }

            location = parsed.Value;
        }

        string? type = disk.Attribute("type");
        if (type is not null)
        {
            CheckStorageType(type);
        }

        bool deleteInProgress = redefine && disk.Element("snapshotDeleteInProgress") is not null;
        var source = disk.Element("source");
        string? path = type == "block" ? Empty(source?.Attribute("dev")) : Empty(source?.Attribute("file"));
        string? driver = Empty(disk.Element("driver")?.Attribute("type"));
        if (driver is not null && !SnapshotXmlNames.IsKnownFormat(driver))
        {
            throw new VirtException(VirtErrorCode.ConfigUnsupported, $"unknown disk snapshot driver '{driver}'");
        }

        if (path is not null && !path.StartsWith('/'))
        {
            throw Error($"disk snapshot image path '{path}' must be absolute");
        }

        if (location == SnapshotLocation.Default && (path is not null || driver is not null))
        {
            location = SnapshotLocation.External;
        }

        return new SnapshotDiskDefinition
        {
            Name = name, Snapshot = location, SourceType = type, SourcePath = path, DriverType = driver, DeleteInProgress = deleteInProgress,
        };
    }

    private static void CheckStorageType(string type)
    {
        switch (type)
        {
            case "file" or "block":
                return;
            case "dir" or "volume":
                throw Error($"unsupported disk snapshot type '{type}'");
            case "network" or "nvme" or "vhostuser" or "vhostvdpa":
                // libvirt reads these; this model carries file and block sources only.
                throw new VirtException(VirtErrorCode.ConfigUnsupported, $"unsupported disk snapshot type '{type}': use 'file' or 'block'");
            default:
                throw Error($"Invalid value for attribute 'type' in element 'disk': '{type}'.");
        }
    }

    private static string? DomainString(LiteElement? element, bool ignoreUuidOnly)
    {
        if (element is null)
        {
            return null;
        }

        // Older snapshots recorded only <domain><uuid/></domain>; libvirt treats that as no domain.
        if (ignoreUuidOnly && element.Elements().All(e => e.Name == "uuid"))
        {
            return null;
        }

        var sb = new StringBuilder();
        LiteXml.Write(sb, element, 0, "domain");
        return sb.ToString();
    }

    private static string? InnerXml(LiteElement element)
    {
        var sb = new StringBuilder();
        foreach (var child in element.Elements())
        {
            LiteXml.Write(sb, child, 0);
        }

        return sb.Length == 0 ? null : sb.ToString();
    }

    /// <summary>XPath <c>string()</c> as libvirt's <c>virXPathString</c>: null when missing or empty.</summary>
    private static string? String(LiteElement? element) => element is null ? null : Empty(element.Text());

    private static string? Empty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static VirtException Error(string detail) => new(VirtErrorCode.XmlError, detail);
}
