using System.Globalization;
using System.Security.Cryptography;
using System.Xml.Linq;
using Virt.Conf;

namespace Virt.Testing;

/// <summary>
/// What libvirt's test driver adds to a definition when it is defined: a UUID, the default
/// architecture, MAC addresses and <c>testnetN</c> interface names, drive addresses and the
/// controllers they need (a virtio-serial controller for channels, a ccid controller and slot for a smartcard), and a
/// cirrus video adapter for a display.
/// </summary>
internal static class TestDomainDefaults
{
    public static void Apply(DomainDefinition def)
    {
        def.Uuid ??= Guid.NewGuid();
        if (def.Os.Type == "hvm")
        {
            def.Os.Arch ??= "i686";
        }

        NameInterfaces(def.Devices);
        AddDriveAddresses(def.Devices);
        AddDiskControllers(def.Devices);
        AddVirtioSerialController(def.Devices);
        AddSmartcardControllers(def.Devices);
        AddVideo(def.Devices);
    }

    private static void NameInterfaces(DomainDevices devices)
    {
        foreach (var nic in devices.Interfaces)
        {
            nic.MacAddress ??= string.Create(CultureInfo.InvariantCulture,
                $"52:54:00:{RandomNumberGenerator.GetInt32(256):x2}:{RandomNumberGenerator.GetInt32(256):x2}:{RandomNumberGenerator.GetInt32(256):x2}");
            if (nic.TargetDev is null)
            {
                int n = 0;
                while (devices.Interfaces.Any(i => i.TargetDev == "testnet" + n.ToString(CultureInfo.InvariantCulture)))
                {
                    n++;
                }

                nic.TargetDev = "testnet" + n.ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    private static void AddDriveAddresses(DomainDevices devices)
    {
        foreach (var disk in devices.Disks.Where(d => d.Address is null))
        {
            if (disk.TargetIndex is not { } index)
            {
                continue;
            }

            disk.Address = disk.TargetBus switch
            {
                "ide" => new DomainAddress { Type = "drive", Controller = index / 4, Bus = index % 4 / 2, Target = 0, Unit = index % 2 },
                "fdc" => new DomainAddress { Type = "drive", Controller = index / 2, Bus = 0, Target = 0, Unit = index % 2 },
                "scsi" => new DomainAddress { Type = "drive", Controller = index / 7, Bus = 0, Target = 0, Unit = index % 7 },
                "sata" => new DomainAddress { Type = "drive", Controller = index / 6, Bus = 0, Target = 0, Unit = index % 6 },
                _ => null,
            };
        }
    }

    private static void AddDiskControllers(DomainDevices devices)
    {
        foreach (string type in new[] { "scsi", "fdc", "ide", "sata" })
        {
            int max = devices.Disks
                .Where(d => d.TargetBus == type && d.Address is { Type: "drive" })
                .Select(d => d.Address!.Controller ?? 0)
                .DefaultIfEmpty(-1)
                .Max();
            for (int index = 0; index <= max; index++)
            {
                if (!devices.Controllers.Any(c => c.Type == type && c.Index == index))
                {
                    devices.AddController(new DomainController { Type = type, Index = index });
                }
            }
        }
    }

    private static void AddVirtioSerialController(DomainDevices devices)
    {
        // libvirt's virDomainDefMaybeAddVirtioSerialController: a channel whose target is virtio (the default when the
        // target names no type), not a guestfwd or xen one.
        bool needed = devices.Extras.Children.Any(c => c.Element.Name.LocalName == "channel"
                && (string?)c.Element.Element("target")?.Attribute("type") is null or "virtio")
            || devices.Consoles.Any(c => c.TargetType == "virtio");
        if (needed && !devices.Controllers.Any(c => c.Type == "virtio-serial"))
        {
            devices.AddController(new DomainController { Type = "virtio-serial", Index = 0 });
        }
    }

    /// <summary>libvirt: a smartcard without an address gets the next free slot on ccid controller 0, and the ccid
    /// controller a smartcard names is added when missing.</summary>
    private static void AddSmartcardControllers(DomainDevices devices)
    {
        var cards = devices.Extras.Children.Select(c => c.Element).Where(e => e.Name == "smartcard").ToList();
        foreach (var card in cards)
        {
            int controller = 0;
            if (card.Element("address") is not { } address)
            {
                int slot = cards.Select(c => c.Element("address"))
                    .Where(a => a is not null && (string?)a.Attribute("type") == "ccid" && Number(a, "controller") == 0)
                    .Select(a => Number(a!, "slot"))
                    .DefaultIfEmpty(-1)
                    .Max() + 1;
                card.Add(new XElement("address", new XAttribute("type", "ccid"), new XAttribute("controller", "0"),
                    new XAttribute("slot", slot.ToString(CultureInfo.InvariantCulture))));
            }
            else if ((string?)address.Attribute("type") == "ccid")
            {
                controller = Number(address, "controller");
            }

            if (!devices.Controllers.Any(c => c.Type == "ccid" && c.Index == controller))
            {
                devices.AddController(new DomainController { Type = "ccid", Index = controller });
            }
        }
    }

    private static int Number(XElement element, string attribute) =>
        int.TryParse((string?)element.Attribute(attribute), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;

    private static void AddVideo(DomainDevices devices)
    {
        if (devices.Graphics.Count > 0 && devices.Videos.Count == 0)
        {
            devices.Videos.Add(new DomainVideo { ModelType = "cirrus", Vram = 16384, Heads = 1, Primary = true });
        }

        foreach (var video in devices.Videos.Where(v => v.ModelType == "qxl"))
        {
            video.Ram ??= 65536;
            video.Vram ??= 65536;
        }
    }
}
