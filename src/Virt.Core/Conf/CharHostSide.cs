using System.Xml.Linq;

namespace Virt.Conf;

/// <summary>
/// The host side of a character device (serial, console) as libvirt's parser leaves it: every <c>&lt;source&gt;</c>
/// kept whole with its unknown attributes and children, <c>mode='connect'</c> where a tcp or unix source gives no mode,
/// <c>&lt;protocol type='raw'/&gt;</c> for tcp, an empty source (only a mode, on a type that has no source) dropped,
/// and the order source, protocol, log.
/// </summary>
internal static class CharHostSide
{
    /// <summary>Types whose source carries a mode (libvirt's connect/bind).</summary>
    private static readonly string[] ModeTypes = ["tcp", "unix"];

    public static void Read(DomainCharDevice device, IEnumerable<XElement> sources, XElement? protocol, XElement? log)
    {
        foreach (var source in sources)
        {
            var copy = new XElement(source);
            if (ModeTypes.Contains(device.Type) && copy.Attribute("mode") is null)
            {
                copy.Add(new XAttribute("mode", "connect"));
            }

            bool onlyMode = !copy.HasElements && copy.Attributes().All(a => a.Name == "mode");
            if (onlyMode && !ModeTypes.Contains(device.Type) && device.Type != "udp")
            {
                continue;
            }

            device.SourcePath ??= copy.Attribute("path")?.Value;
            device.HostSide.Add(copy);
        }

        if (protocol is not null)
        {
            device.HostSide.Add(new XElement(protocol));
        }
        else if (device.Type == "tcp")
        {
            device.HostSide.Add(new XElement("protocol", new XAttribute("type", "raw")));
        }

        if (log is not null)
        {
            device.HostSide.Add(new XElement(log));
        }
    }

    /// <summary>The elements to print, with <see cref="DomainCharDevice.SourcePath"/> as set in code.</summary>
    public static IEnumerable<XElement> Format(DomainCharDevice device)
    {
        var elements = device.HostSide.Select(e => new XElement(e)).ToList();
        var source = elements.FirstOrDefault(e => e.Name == "source");
        if (device.SourcePath is not null && source is null)
        {
            elements.Insert(0, new XElement("source", new XAttribute("path", device.SourcePath)));
        }
        else if (source is not null && source.Attribute("path") is not null | device.SourcePath is not null)
        {
            source.SetAttributeValue("path", device.SourcePath);
        }

        return elements;
    }

    /// <summary>Gives <paramref name="to"/> the host side of <paramref name="from"/> (libvirt's console/serial mirroring).</summary>
    public static void Copy(DomainCharDevice from, DomainCharDevice to)
    {
        to.HostSide.Clear();
        to.HostSide.AddRange(from.HostSide.Select(e => new XElement(e)));
    }
}
