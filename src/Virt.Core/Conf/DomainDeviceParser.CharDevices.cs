using System.Globalization;
using System.Xml.Linq;

namespace Virt.Conf;

/// <summary>Parses serial ports, consoles and channels, with libvirt's console compatibility.</summary>
internal static partial class DomainDeviceParser
{
    private static DomainCharDevice ParseChar(XElement element)
    {
        var children = new XmlChildren(element, "source", "protocol", "log", "target");
        var device = new DomainCharDevice { Type = element.Attribute("type")?.Value ?? "pty" };
        XmlChildren.KeepAttributes(device.Extras, "self", element, "type");
        CharHostSide.Read(device, children.Many("source"), children.One("protocol"), children.One("log"));
        if (children.One("target") is { } target)
        {
            device.TargetType = target.Attribute("type")?.Value;
            device.TargetPort = XmlChildren.Int(target, "port", 0);
            XmlChildren.KeepPartial(device.Extras, "target", target, ["type", "port"]);
        }

        children.KeepUnknown(device.Extras);
        return device;
    }

    /// <summary>libvirt's console compatibility: the first console of target type serial mirrors the first serial port; either is added when only the other exists.</summary>
    internal static void ApplyCharDefaults(DomainDevices devices, bool hvm)
    {
        var used = devices.Serials.Where(s => s.TargetPort is not null).Select(s => s.TargetPort!.Value).ToHashSet();
        int next = 0;
        foreach (var serial in devices.Serials.Where(s => s.TargetPort is null))
        {
            while (used.Contains(next))
            {
                next++;
            }

            serial.TargetPort = next;
            used.Add(next);
        }

        if (devices.Consoles.Count == 0)
        {
            // Only an ISA (or untyped) first serial port gets a console: libvirt adds none for usb-serial or pci-serial.
            if (hvm && devices.Serials.Count > 0 && devices.Serials[0].TargetType is null or "isa-serial")
            {
                var serial = devices.Serials[0];
                var copy = new DomainCharDevice { Type = serial.Type, SourcePath = serial.SourcePath, TargetType = "serial", TargetPort = serial.TargetPort };
                CharHostSide.Copy(serial, copy);
                devices.Consoles.Add(copy);
            }

            return;
        }

        var console = devices.Consoles[0];
        if (console.TargetType is null or "serial")
        {
            console.TargetType = "serial";
            if (devices.Serials.Count == 0)
            {
                var serial = new DomainCharDevice { Type = console.Type, SourcePath = console.SourcePath, TargetPort = console.TargetPort ?? 0 };
                CharHostSide.Copy(console, serial);
                devices.Serials.Add(serial);
            }

            console.TargetPort ??= devices.Serials[0].TargetPort;
        }
        else
        {
            console.TargetPort ??= 0;
        }
    }
}
