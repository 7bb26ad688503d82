using System.Globalization;
using System.Xml.Linq;

namespace Virt.Conf;

/// <summary>Parses <c>&lt;devices&gt;</c> and the device kinds the model knows.</summary>
internal static class DomainDeviceParser
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

    private static DomainInterface ParseInterface(XElement element)
    {
        var children = new XmlChildren(element, "mac", "source", "target", "model", "boot", "address");
        var nic = new DomainInterface { Type = element.Attribute("type")?.Value ?? throw SafeXml.Error(element, "missing type attribute in interface") };
        XmlChildren.KeepAttributes(nic.Extras, "interface", element, "type");
        if (children.One("mac") is { } mac)
        {
            nic.MacAddress = mac.Attribute("address")?.Value;
            if (nic.MacAddress is null || !IsMac(nic.MacAddress))
            {
                throw SafeXml.Error(mac, $"unable to parse mac address '{nic.MacAddress}'");
            }

            XmlChildren.KeepPartial(nic.Extras, "mac", mac, ["address"]);
        }

        if (children.One("source") is { } source)
        {
            nic.SourceNetwork = source.Attribute("network")?.Value;
            nic.SourceBridge = source.Attribute("bridge")?.Value;
            var keptSource = source;
            if (nic.Type == "direct" && source.Attribute("mode") is null)
            {
                // libvirt: a macvtap interface without a mode is in vepa mode.
                keptSource = new XElement(source);
                keptSource.Add(new XAttribute("mode", "vepa"));
            }

            if (keptSource.Attribute("portid") is not null)
            {
                // libvirt: the network port is the running domain's; a definition does not keep it.
                keptSource = new XElement(keptSource);
                keptSource.Attribute("portid")!.Remove();
            }

            XmlChildren.KeepPartial(nic.Extras, "source", keptSource, ["network", "bridge"]);
        }

        if (nic.Type == "network" && nic.SourceNetwork is null)
        {
            throw SafeXml.Error(element, "No <source> 'network' attribute specified with <interface type='network'/>");
        }

        if (children.One("target") is { } target)
        {
            // Like libvirt for an inactive definition: names the host generates (vnetN, macvtapN) are not kept.
            nic.TargetDev = target.Attribute("dev")?.Value is { } ifname
                && !(ifname.StartsWith("vnet", StringComparison.Ordinal) || ifname.StartsWith("macvtap", StringComparison.Ordinal) || ifname.StartsWith("macvlan", StringComparison.Ordinal))
                ? ifname : null;
            XmlChildren.KeepPartial(nic.Extras, "target", target, ["dev"]);
        }

        if (children.One("model") is { } model)
        {
            nic.ModelType = model.Attribute("type")?.Value;
            XmlChildren.KeepPartial(nic.Extras, "model", model, ["type"]);
        }

        nic.BootOrder = XmlChildren.Int(children.One("boot"), "order", 1);
        XmlChildren.KeepPartial(nic.Extras, "boot", children.One("boot"), ["order"]);
        nic.Address = ParseAddress(children.One("address"));
        children.KeepUnknown(nic.Extras);
        return nic;
    }

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

    private static DomainGraphics ParseGraphics(XElement element)
    {
        var children = new XmlChildren(element, "listen");
        var graphics = new DomainGraphics
        {
            Type = element.Attribute("type")?.Value ?? throw SafeXml.Error(element, "missing graphics device type"),
            Port = XmlChildren.Int(element, "port", -1),
            AutoPort = XmlChildren.YesNo(element, "autoport"),
            Listen = element.Attribute("listen")?.Value,
            Password = element.Attribute("passwd")?.Value,
        };
        bool vnc = graphics.Type == "vnc";
        string? socket = vnc ? element.Attribute("socket")?.Value : null;
        // libvirt drops a SPICE tlsPort='-1' when autoport='yes' picks the ports.
        bool dropTlsPort = graphics.Type == "spice" && graphics.AutoPort == true && (string?)element.Attribute("tlsPort") == "-1";
        XmlChildren.KeepAttributes(graphics.Extras, "graphics", element, vnc ? ["type", "port", "autoport", "listen", "passwd", "socket"]
            : dropTlsPort ? ["type", "port", "autoport", "listen", "passwd", "tlsPort"] : ["type", "port", "autoport", "listen", "passwd"]);
        foreach (var listen in children.Many("listen"))
        {
            string type = listen.Attribute("type")?.Value ?? throw SafeXml.Error(listen, "graphics listen type must be specified");
            string? listenSocket = type == "socket" ? listen.Attribute("socket")?.Value : null;
            if (type == "socket" && graphics.ListenElements.Count == 0 && socket is not null)
            {
                listenSocket ??= socket;
                if (listenSocket != socket)
                {
                    throw new VirtException(VirtErrorCode.ConfigUnsupported, $"graphics 'socket' attribute '{socket}' must match 'socket' attribute of first listen element (found '{listenSocket}')");
                }
            }

            XmlChildren.KeepPartial(graphics.Extras, "listen" + graphics.ListenElements.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), listen, type == "socket" ? ["type", "address", "network", "socket"] : ["type", "address", "network"]);
            graphics.ListenElements.Add((type, listen.Attribute("address")?.Value, listen.Attribute("network")?.Value, listenSocket));
        }

        if (socket is not null && (graphics.ListenElements.Count == 0 || graphics.ListenElements[0].Type != "socket"))
        {
            // libvirt: a VNC socket= is the first listen, in place of whatever the first <listen> said.
            if (graphics.ListenElements.Count == 0)
            {
                graphics.ListenElements.Add(("socket", null, null, socket));
            }
            else
            {
                graphics.ListenElements[0] = ("socket", null, null, socket);
            }
        }

        if (vnc && graphics.ListenElements.Count > 0 && graphics.ListenElements[0].Type == "socket")
        {
            // A VNC display on a socket has no listen address: libvirt ignores listen=.
            graphics.Listen = null;
        }

        var firstAddress = graphics.ListenElements.FindIndex(l => l.Type == "address");
        if (graphics.Listen is null && firstAddress >= 0)
        {
            graphics.Listen = graphics.ListenElements[firstAddress].Address;
        }
        else if (graphics.Listen is not null && firstAddress >= 0 && graphics.ListenElements[firstAddress].Address is { } address && address != graphics.Listen)
        {
            throw SafeXml.Error(element, $"graphics 'listen' attribute '{graphics.Listen}' must match 'address' attribute of first listen element (found '{address}')");
        }

        if (vnc && (graphics.Port is null or -1 || graphics.AutoPort == true))
        {
            graphics.AutoPort = true;
            graphics.Port = -1;
        }
        else if (vnc)
        {
            graphics.AutoPort ??= false;
        }

        if (graphics.ListenElements.Count == 0 && vnc)
        {
            graphics.ListenElements.Add(("address", graphics.Listen, null, null));
        }
        else if (graphics.ListenElements.Count == 0 && graphics.Type == "spice")
        {
            bool network = graphics.Port is > 0 || graphics.AutoPort == true || element.Attribute("tlsPort") is not null || graphics.Listen is not null;
            graphics.ListenElements.Add((network ? "address" : "none", graphics.Listen, null, null));
        }
        else if (graphics.Type == "rdp")
        {
            // libvirt prints an RDP display's port (0 when none was given) and an address listen.
            graphics.Port ??= 0;
            if (graphics.ListenElements.Count == 0)
            {
                graphics.ListenElements.Add(("address", graphics.Listen, null, null));
            }
        }

        children.KeepUnknown(graphics.Extras);
        return graphics;
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

    private static DomainVideo ParseVideo(XElement element)
    {
        var children = new XmlChildren(element, "model", "address");
        var video = new DomainVideo();
        XmlChildren.KeepAttributes(video.Extras, "video", element);
        if (children.One("model") is { } model)
        {
            video.ModelType = model.Attribute("type")?.Value ?? throw SafeXml.Error(model, "missing video model type");
            video.Ram = XmlChildren.Int(model, "ram", 0);
            video.Vram = XmlChildren.Int(model, "vram", 0);
            video.VgaMem = XmlChildren.Int(model, "vgamem", 0);
            video.Heads = XmlChildren.Int(model, "heads", 0);
            video.Primary = XmlChildren.YesNo(model, "primary");
            XmlChildren.KeepPartial(video.Extras, "model", model, ["type", "ram", "vram", "vgamem", "heads", "primary"]);
        }

        video.Address = ParseAddress(children.One("address"));
        children.KeepUnknown(video.Extras);
        return video;
    }

    /// <summary>libvirt's video defaults: video memory by model, one head, and the primary adapter first and marked.</summary>
    private static void ApplyVideoDefaults(IList<DomainVideo> videos)
    {
        foreach (var video in videos.Where(v => v.ModelType != "none"))
        {
            video.Vram ??= video.ModelType switch
            {
                "vga" or "cirrus" or "vmvga" or "bochs" or "xen" => 16384,
                "qxl" => 65536,
                _ => null,
            };
            if (video.ModelType == "qxl")
            {
                video.Ram ??= 65536;
            }

            video.Heads ??= 1;
        }

        int primary = Enumerable.Range(0, videos.Count).FirstOrDefault(i => videos[i].Primary == true, -1);
        if (primary > 0)
        {
            var first = videos[primary];
            videos.RemoveAt(primary);
            videos.Insert(0, first);
        }

        if (videos.Count > 0 && videos[0].ModelType != "none")
        {
            videos[0].Primary = true;
        }
    }

    private static string? BusFromName(string dev) =>
        dev.StartsWith("hd", StringComparison.Ordinal) ? "ide"
        : dev.StartsWith("sd", StringComparison.Ordinal) ? "scsi"
        : dev.StartsWith("vd", StringComparison.Ordinal) ? "virtio"
        : dev.StartsWith("xvd", StringComparison.Ordinal) ? "xen"
        : dev.StartsWith("ubd", StringComparison.Ordinal) ? "uml"
        : dev.StartsWith("fd", StringComparison.Ordinal) ? "fdc"
        : null;

    private static bool IsMac(string mac) =>
        mac.Length == 17 && mac.Select((c, i) => i % 3 == 2 ? c == ':' : Uri.IsHexDigit(c)).All(ok => ok);

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
