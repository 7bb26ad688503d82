using System.Globalization;
using System.Xml.Linq;

namespace Virt.Conf;

/// <summary>Parses <c>&lt;disk&gt;</c> and the bus a target name implies.</summary>
internal static partial class DomainDeviceParser
{
    private static DomainDisk ParseDisk(XElement element)
    {
        var children = new XmlChildren(element, "driver", "source", "target", "readonly", "shareable", "serial", "boot", "address");
        var disk = new DomainDisk
        {
            Type = element.Attribute("type")?.Value ?? "file",
            Device = element.Attribute("device")?.Value ?? "disk",
        };
        if (disk.Type is not ("file" or "block" or "dir" or "network" or "volume" or "nvme" or "vhostuser"))
        {
            throw SafeXml.Error(element, $"unknown disk type '{disk.Type}'");
        }

        if (disk.Device is not ("disk" or "cdrom" or "floppy" or "lun"))
        {
            throw SafeXml.Error(element, $"unknown disk device '{disk.Device}'");
        }

        if (element.Attribute("snapshot") is { } snapshot)
        {
            if (snapshot.Value is not ("no" or "internal" or "external" or "manual"))
            {
                throw SafeXml.Error(snapshot, $"Invalid value for attribute 'snapshot' in element 'disk': '{snapshot.Value}'.");
            }

            disk.Snapshot = snapshot.Value;
        }
        else if (disk.Type == "vhostuser")
        {
            // libvirt: a vhost-user disk cannot be snapshotted.
            disk.Snapshot = "no";
        }

        XmlChildren.KeepAttributes(disk.Extras, "disk", element, "type", "device", "snapshot");
        if (children.One("driver") is { } driver)
        {
            disk.DriverName = driver.Attribute("name")?.Value;
            disk.DriverType = driver.Attribute("type")?.Value;
            disk.DriverCache = driver.Attribute("cache")?.Value;
            if (driver.Element("metadata_cache")?.Element("max_size") is { } maxSize)
            {
                // libvirt keeps the metadata cache size in bytes and prints it so.
                maxSize.Value = MemoryUnits.ParseBytes(maxSize).ToString(CultureInfo.InvariantCulture);
                maxSize.SetAttributeValue("unit", "bytes");
            }

            XmlChildren.KeepPartial(disk.Extras, "driver", driver, ["name", "type", "cache"]);
        }

        if (children.One("source") is { } source)
        {
            string attribute = disk.Type == "block" ? "dev" : "file";
            disk.Source = DomainXmlParser.NullIfEmpty(source.Attribute(attribute)?.Value);
            XmlChildren.KeepPartial(disk.Extras, "source", source, [attribute]);
        }

        var target = children.One("target");
        string? dev = target?.Attribute("dev")?.Value;
        if (string.IsNullOrEmpty(dev))
        {
            throw SafeXml.Error(target ?? element, $"missing target information for device {disk.Source ?? "(no source)"}");
        }

        disk.TargetDev = dev;
        disk.TargetBus = target!.Attribute("bus")?.Value ?? BusFromName(dev);
        XmlChildren.KeepPartial(disk.Extras, "target", target, ["dev", "bus"]);
        disk.ReadOnly = children.One("readonly") is not null || disk.Device == "cdrom";
        disk.Shareable = children.One("shareable") is not null;
        disk.Serial = children.One("serial")?.Value;
        disk.BootOrder = XmlChildren.Int(children.One("boot"), "order", 1);
        XmlChildren.KeepPartial(disk.Extras, "readonly", children.One("readonly"), []);
        XmlChildren.KeepPartial(disk.Extras, "shareable", children.One("shareable"), []);
        XmlChildren.KeepPartial(disk.Extras, "serial", children.One("serial"), []);
        XmlChildren.KeepPartial(disk.Extras, "boot", children.One("boot"), ["order"]);
        disk.Address = ParseAddress(children.One("address"));
        children.KeepUnknown(disk.Extras);
        return disk;
    }

    private static string? BusFromName(string dev) =>
        dev.StartsWith("hd", StringComparison.Ordinal) ? "ide"
        : dev.StartsWith("sd", StringComparison.Ordinal) ? "scsi"
        : dev.StartsWith("vd", StringComparison.Ordinal) ? "virtio"
        : dev.StartsWith("xvd", StringComparison.Ordinal) ? "xen"
        : dev.StartsWith("ubd", StringComparison.Ordinal) ? "uml"
        : dev.StartsWith("fd", StringComparison.Ordinal) ? "fdc"
        : null;
}
