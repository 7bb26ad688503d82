using System.Globalization;
using System.Xml.Linq;

namespace Virt.Conf;

/// <summary>Parses <c>&lt;devices&gt;</c> and the device kinds the model knows.</summary>
internal static partial class DomainDeviceParser
{
    public static DomainDevices Parse(XElement devices)
    {
        var children = new XmlChildren(devices, "emulator", "disk", "controller", "interface", "serial", "console", "graphics", "video", "memballoon");
        var result = new DomainDevices();
        XmlChildren.KeepAttributes(result.Extras, "devices", devices);
        if (children.One("emulator") is { } emulator)
        {
            result.Emulator = DomainXmlParser.NullIfEmpty(emulator.Value.Trim());
            XmlChildren.KeepPartial(result.Extras, "emulator", emulator, []);
        }

        var disks = new List<(DomainDisk Disk, string? RawBus, long Index)>();
        foreach (var disk in children.Many("disk"))
        {
            DeviceInsertion.InsertDisk(disks, ParseDisk(disk), disk.Element("target")?.Attribute("bus")?.Value);
        }

        foreach (var (disk, _, _) in disks)
        {
            result.Disks.Add(disk);
        }

        foreach (var controller in children.Many("controller"))
        {
            DeviceInsertion.InsertController(result.Controllers, ParseController(controller));
        }

        foreach (var video in children.Many("video"))
        {
            result.Videos.Add(ParseVideo(video));
        }

        ApplyVideoDefaults(result.Videos);

        foreach (var nic in children.Many("interface"))
        {
            result.Interfaces.Add(ParseInterface(nic));
        }

        foreach (var serial in children.Many("serial"))
        {
            result.Serials.Add(ParseChar(serial));
        }

        foreach (var console in children.Many("console"))
        {
            result.Consoles.Add(ParseChar(console));
        }

        foreach (var graphics in children.Many("graphics"))
        {
            result.Graphics.Add(ParseGraphics(graphics));
        }

        if (children.One("memballoon") is { } balloon)
        {
            result.MemBalloon = new DomainMemBalloon
            {
                Model = balloon.Attribute("model")?.Value ?? throw SafeXml.Error(balloon, "memballoon must contain model name"),
            };
            var balloonChildren = new XmlChildren(balloon, "address");
            result.MemBalloon.Address = ParseAddress(balloonChildren.One("address"));
            XmlChildren.KeepPartial(result.MemBalloon.Extras, "memballoon", balloon, ["model"], "address");
        }

        children.KeepUnknown(result.Extras);
        return result;
    }

    internal static DomainAddress? ParseAddress(XElement? element)
    {
        if (element is null)
        {
            return null;
        }

        var address = new DomainAddress { Type = element.Attribute("type")?.Value ?? throw SafeXml.Error(element, "No type specified for device address") };
        string[] known = address.Type switch
        {
            "pci" => ["type", "domain", "bus", "slot", "function"],
            "drive" => ["type", "controller", "bus", "target", "unit"],
            _ => ["type"],
        };
        if (address.Type == "pci")
        {
            address.Domain = XmlChildren.Int(element, "domain", 0);
            address.Bus = XmlChildren.Int(element, "bus", 0);
            address.Slot = XmlChildren.Int(element, "slot", 0);
            address.Function = XmlChildren.Int(element, "function", 0);
        }
        else if (address.Type == "drive")
        {
            address.Controller = XmlChildren.Int(element, "controller", 0);
            address.Bus = XmlChildren.Int(element, "bus", 0);
            address.Target = XmlChildren.Int(element, "target", 0);
            address.Unit = XmlChildren.Int(element, "unit", 0);
        }

        XmlChildren.KeepPartial(address.Extras, "address", element, known, []);
        return address;
    }

    private static DomainController ParseController(XElement element)
    {
        var children = new XmlChildren(element, "address");
        var controller = new DomainController
        {
            Type = element.Attribute("type")?.Value ?? "ide",
            Index = XmlChildren.Int(element, "index", 0) ?? 0,
            Model = element.Attribute("model")?.Value,
        };
        XmlChildren.KeepAttributes(controller.Extras, "controller", element, "type", "index", "model");
        controller.Address = ParseAddress(children.One("address"));
        children.KeepUnknown(controller.Extras);
        return controller;
    }
}
