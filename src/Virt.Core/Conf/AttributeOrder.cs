using System.Xml.Linq;

namespace Virt.Conf;

/// <summary>
/// libvirt's attribute order for elements whose attributes Virt prints partly or wholly from what it kept: libvirt
/// prints attributes in its formatter's order, not the input's. Attributes libvirt does not know stay after the one
/// they followed in the input.
/// </summary>
internal static class AttributeOrder
{
    private static readonly Dictionary<string, string[]> Orders = new(StringComparer.Ordinal)
    {
        ["disk/driver"] = ["name", "type", "cache", "error_policy", "rerror_policy", "io", "ioeventfd", "event_idx", "copy_on_read", "discard", "iothread", "detect_zeroes", "queues", "queue_size"],
        ["controller/driver"] = ["queues", "cmd_per_lun", "max_sectors", "ioeventfd", "iothread", "iommu", "ats", "packed", "page_per_vq"],
        ["graphics:vnc"] = ["type", "socket", "port", "autoport", "websocket", "websocketGenerated", "listen", "keymap", "sharePolicy", "passwd", "passwdValidTo", "connected", "powerControl"],
        ["graphics:spice"] = ["type", "port", "tlsPort", "autoport", "listen", "keymap", "defaultMode", "passwd", "passwdValidTo", "connected"],
        ["graphics:rdp"] = ["type", "port", "autoport", "replaceUser", "multiUser", "listen"],
        ["graphics:sdl"] = ["type", "display", "xauth", "fullscreen"],
        ["video/model"] = ["type", "ram", "vram", "vram64", "vgamem", "heads", "primary"],
        ["rng/rate"] = ["bytes", "period"],
        ["input/source"] = ["dev", "grab", "grabToggle", "repeat"],
        ["devices/seclabel"] = ["type", "model", "relabel"],
        ["domain/seclabel"] = ["type", "model", "relabel"],
        ["devices/hostdev"] = ["mode", "type", "managed", "sgio", "rawio", "model", "display", "ramfb"],
        ["interface/ip"] = ["address", "family", "prefix", "peer"],
        ["serial/source"] = ["mode", "host", "service", "path", "append", "channel", "tls"],
        ["console/source"] = ["mode", "host", "service", "path", "append", "channel", "tls"],
        ["channel/source"] = ["mode", "host", "service", "path", "append", "channel", "tls"],
        ["parallel/source"] = ["mode", "host", "service", "path", "append", "channel", "tls"],
        ["backend/source"] = ["mode", "host", "service", "path", "append", "channel", "tls"],
        ["smartcard/source"] = ["mode", "host", "service", "path", "append", "channel", "tls"],
        ["redirdev/source"] = ["mode", "host", "service", "path", "append", "channel", "tls"],
        ["usbdev"] = ["class", "vendor", "product", "version", "allow"],
    };

    /// <summary><paramref name="attributes"/> of <paramref name="element"/> in libvirt's order, or as given when libvirt's order is not known.</summary>
    public static IReadOnlyList<XAttribute> Sort(XElement element, IReadOnlyList<XAttribute> attributes)
    {
        if (attributes.Count < 2 || OrderOf(element) is not { } order)
        {
            return attributes;
        }

        var ranked = new List<(XAttribute Attribute, int Rank, int Index)>(attributes.Count);
        int previous = -1;
        for (int i = 0; i < attributes.Count; i++)
        {
            var a = attributes[i];
            int rank = a.IsNamespaceDeclaration || a.Name.Namespace != XNamespace.None ? -1 : Array.IndexOf(order, a.Name.LocalName);
            previous = rank >= 0 ? rank : previous;
            ranked.Add((a, rank >= 0 ? rank : previous, i));
        }

        return ranked.OrderBy(r => r.Rank).ThenBy(r => r.Index).Select(r => r.Attribute).ToList();
    }

    private static string[]? OrderOf(XElement element)
    {
        string name = element.Name.LocalName;
        if (element.Name.Namespace != XNamespace.None)
        {
            return null;
        }

        if (name == "graphics" && Orders.TryGetValue("graphics:" + (string?)element.Attribute("type"), out var graphics))
        {
            return graphics;
        }

        if (element.Parent is { } parent && Orders.TryGetValue(parent.Name.LocalName + "/" + name, out var nested))
        {
            return nested;
        }

        return Orders.GetValueOrDefault(name);
    }
}
