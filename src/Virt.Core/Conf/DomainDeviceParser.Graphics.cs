using System.Globalization;
using System.Xml.Linq;

namespace Virt.Conf;

/// <summary>Parses <c>&lt;graphics&gt;</c> and <c>&lt;video&gt;</c>, with libvirt's video defaults.</summary>
internal static partial class DomainDeviceParser
{
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
}
