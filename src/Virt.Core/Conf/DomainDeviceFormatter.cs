using System.Globalization;
using System.Xml.Linq;
using static Virt.Conf.DomainXmlFormatter;

namespace Virt.Conf;

/// <summary>Formats <c>&lt;devices&gt;</c> in libvirt's order.</summary>
internal static class DomainDeviceFormatter
{
    public static XElement Format(DomainDevices devices, bool secure)
    {
        var element = devices.Extras.ApplyAttributes("devices", new XElement("devices"));
        element.AddAnnotation(LibvirtXmlWriter.AlwaysOpen.Instance);
        AddText(element, "emulator", devices.Emulator, devices.Extras);
        foreach (var disk in devices.Disks)
        {
            element.Add(FormatDisk(disk, secure));
        }

        foreach (var controller in devices.Controllers)
        {
            var c = controller.Extras.Apply("controller", new XElement("controller",
                new XAttribute("type", controller.Type), new XAttribute("index", Num(controller.Index)), Attr("model", controller.Model)));
            AddAddress(c, controller.Address);
            controller.Extras.MergeInto(c);
            element.Add(c);
        }

        foreach (var nic in devices.Interfaces)
        {
            element.Add(FormatInterface(nic));
        }

        foreach (var serial in devices.Serials)
        {
            element.Add(FormatChar("serial", serial));
        }

        foreach (var console in devices.Consoles)
        {
            element.Add(FormatChar("console", console));
        }

        foreach (var graphics in devices.Graphics)
        {
            element.Add(FormatGraphics(graphics, secure));
        }

        foreach (var video in devices.Videos)
        {
            var v = video.Extras.Apply("video", new XElement("video"));
            v.Add(video.Extras.Apply("model", new XElement("model",
                new XAttribute("type", video.ModelType),
                video.Ram is { } ram ? new XAttribute("ram", Num(ram)) : null,
                video.Vram is { } vram ? new XAttribute("vram", Num(vram)) : null,
                video.VgaMem is { } vgamem ? new XAttribute("vgamem", Num(vgamem)) : null,
                video.Heads is { } heads ? new XAttribute("heads", Num(heads)) : null,
                Attr("primary", video.Primary == true ? "yes" : null))));
            AddAddress(v, video.Address);
            video.Extras.MergeInto(v);
            element.Add(v);
        }

        if (devices.MemBalloon is { } balloon)
        {
            var b = balloon.Extras.Apply("memballoon", new XElement("memballoon", new XAttribute("model", balloon.Model)));
            AddAddress(b, balloon.Address);
            element.Add(b);
        }

        devices.Extras.MergeInto(element, DeviceOrder);
        return element;
    }

    private static XElement FormatDisk(DomainDisk disk, bool secure)
    {
        var x = disk.Extras;
        // libvirt does not write snapshot='no' for a read-only disk: that is its default there.
        string? snapshot = disk.Snapshot == "no" && disk.ReadOnly ? null : disk.Snapshot;
        var element = x.Apply("disk", new XElement("disk", new XAttribute("type", disk.Type), new XAttribute("device", disk.Device), Attr("snapshot", snapshot)));
        if (disk.DriverName is not null || disk.DriverType is not null || disk.DriverCache is not null || x.Has("driver"))
        {
            element.Add(x.Apply("driver", new XElement("driver",
                Attr("name", disk.DriverName), Attr("type", disk.DriverType), Attr("cache", disk.DriverCache))));
        }

        // A source the model does not read (network, volume, dir, nvme...) is printed from what was kept.
        if (disk.Source is not null || x.Has("source"))
        {
            var source = x.Apply("source", new XElement("source", Attr(disk.Type == "block" ? "dev" : "file", disk.Source)));
            if (!secure)
            {
                // libvirt prints a network source's HTTP cookies only with VIR_DOMAIN_XML_SECURE (they may be credentials).
                source.Elements("cookies").Remove();
            }

            element.Add(source);
        }

        element.Add(x.Apply("target", new XElement("target", new XAttribute("dev", disk.TargetDev), Attr("bus", disk.TargetBus))));
        if (disk.ReadOnly)
        {
            element.Add(x.Apply("readonly", new XElement("readonly")));
        }

        if (disk.Shareable)
        {
            element.Add(x.Apply("shareable", new XElement("shareable")));
        }

        AddText(element, "serial", disk.Serial, x);
        AddBoot(element, disk.BootOrder, x);
        AddAddress(element, disk.Address);
        x.MergeInto(element, DiskOrder);
        return element;
    }

    private static XElement FormatInterface(DomainInterface nic)
    {
        var x = nic.Extras;
        var element = x.Apply("interface", new XElement("interface", new XAttribute("type", nic.Type)));
        if (nic.MacAddress is not null)
        {
            element.Add(x.Apply("mac", new XElement("mac", new XAttribute("address", nic.MacAddress.ToLowerInvariant()))));
        }

        if (nic.SourceNetwork is not null || nic.SourceBridge is not null || x.Has("source"))
        {
            element.Add(x.Apply("source", new XElement("source", Attr("network", nic.SourceNetwork), Attr("bridge", nic.SourceBridge))));
        }

        if (nic.TargetDev is not null || x.Has("target"))
        {
            element.Add(x.Apply("target", new XElement("target", Attr("dev", nic.TargetDev))));
        }

        if (nic.ModelType is not null)
        {
            element.Add(x.Apply("model", new XElement("model", new XAttribute("type", nic.ModelType))));
        }

        AddBoot(element, nic.BootOrder, x);
        AddAddress(element, nic.Address);
        x.MergeInto(element, nic.Type == "hostdev" ? HostdevInterfaceOrder : InterfaceOrder);
        return element;
    }

    private static XElement FormatChar(string name, DomainCharDevice device)
    {
        var x = device.Extras;
        var element = x.Apply("self", new XElement(name, new XAttribute("type", device.Type)));
        element.Add(CharHostSide.Format(device));

        if (device.TargetType is not null || device.TargetPort is not null)
        {
            element.Add(x.Apply("target", new XElement("target",
                Attr("type", device.TargetType),
                device.TargetPort is { } port ? new XAttribute("port", Num(port)) : null)));
        }

        x.MergeInto(element);
        return element;
    }

    private static XElement FormatGraphics(DomainGraphics graphics, bool secure)
    {
        var element = new XElement("graphics", new XAttribute("type", graphics.Type));
        string? firstListen = graphics.ListenElements.Count > 0 ? graphics.ListenElements[0].Type : null;
        if (graphics.Type == "vnc" && firstListen is "socket" or "none")
        {
            // libvirt prints a VNC display's port only when it listens on the network.
            element.Add(Attr("socket", graphics.ListenElements[0].Socket));
        }
        else
        {
            if (graphics.Port is { } port)
            {
                element.Add(new XAttribute("port", Num(port)));
            }

            if (graphics.AutoPort is { } auto)
            {
                element.Add(new XAttribute("autoport", XmlChildren.YesNo(auto)!));
            }
        }

        if (graphics.Listen is not null)
        {
            element.Add(new XAttribute("listen", graphics.Listen));
        }

        if (secure && graphics.Password is not null)
        {
            element.Add(new XAttribute("passwd", graphics.Password));
        }

        graphics.Extras.Apply("graphics", element);
        var listens = graphics.ListenElements.ToList();
        int first = listens.FindIndex(l => l.Type == "address");
        if (first >= 0)
        {
            listens[first] = listens[first] with { Address = graphics.Listen };
        }
        else if (graphics.Listen is not null)
        {
            listens.Insert(0, ("address", graphics.Listen, null, null));
        }

        int kept = first < 0 && graphics.Listen is not null ? -1 : 0;
        foreach (var (type, address, network, socket) in listens)
        {
            element.Add(graphics.Extras.Apply("listen" + Num(kept++), new XElement("listen", new XAttribute("type", type), Attr("address", address), Attr("network", network), Attr("socket", socket))));
        }

        graphics.Extras.MergeInto(element, GraphicsOrder);
        return element;
    }

    private static void AddBoot(XElement element, int? order, ElementExtras extras)
    {
        if (order is { } n)
        {
            element.Add(extras.Apply("boot", new XElement("boot", new XAttribute("order", Num(n)))));
        }
    }

    private static void AddAddress(XElement parent, DomainAddress? address)
    {
        if (address is null)
        {
            return;
        }

        var element = new XElement("address", new XAttribute("type", address.Type));
        if (address.Type == "pci")
        {
            element.Add(
                Hex("domain", address.Domain, 4), Hex("bus", address.Bus, 2), Hex("slot", address.Slot, 2), Hex("function", address.Function, 1));
        }
        else if (address.Type == "drive")
        {
            element.Add(Dec("controller", address.Controller), Dec("bus", address.Bus), Dec("target", address.Target), Dec("unit", address.Unit));
        }

        parent.Add(address.Extras.Apply("address", element));
    }

    private static XAttribute Hex(string name, int? value, int digits) =>
        new(name, "0x" + (value ?? 0).ToString("x" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));

    private static XAttribute Dec(string name, int? value) => new(name, Num(value ?? 0));
}
