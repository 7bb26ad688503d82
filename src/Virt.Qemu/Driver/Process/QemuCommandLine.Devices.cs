using System.Globalization;
using System.Text.Json.Nodes;
using Virt.Conf;

namespace Virt.Qemu.Driver.Process;

internal static partial class QemuCommandLine
{
    private static QemuPflashNodes? AddPflash(DomainDefinition def, QemuRuntimePaths paths, List<string> args)
    {
        if (def.Os.Loader is not { Type: "pflash" } loader)
        {
            return null;
        }

        string code = loader.Path ?? throw new VirtException(VirtErrorCode.ConfigUnsupported, "the pflash <loader> has no path");
        bool readOnly = loader.ReadOnly ?? false;
        Add(args, "-blockdev", new JsonObject
        {
            ["driver"] = "file", ["filename"] = code, ["node-name"] = "libvirt-pflash0-storage", ["auto-read-only"] = true, ["discard"] = "unmap",
        }.ToJsonString());
        Add(args, "-blockdev", new JsonObject
        {
            ["node-name"] = "libvirt-pflash0-format", ["read-only"] = readOnly, ["driver"] = "raw", ["file"] = "libvirt-pflash0-storage",
        }.ToJsonString());
        if (!readOnly)
        {
            return new QemuPflashNodes("libvirt-pflash0-format", null, null);
        }

        string nvram = def.Os.Nvram?.Path ?? paths.Nvram
            ?? throw new VirtException(VirtErrorCode.ConfigUnsupported, "a read-only pflash <loader> needs an <nvram>");
        string format = def.Os.Nvram?.Format ?? "raw";
        if (format is not ("raw" or "qcow2"))
        {
            throw new VirtException(VirtErrorCode.ConfigUnsupported, $"nvram format '{format}' is not supported");
        }

        Add(args, "-blockdev", new JsonObject
        {
            ["driver"] = "file", ["filename"] = nvram, ["node-name"] = "libvirt-pflash1-storage", ["auto-read-only"] = true, ["discard"] = "unmap",
        }.ToJsonString());
        Add(args, "-blockdev", new JsonObject
        {
            ["node-name"] = "libvirt-pflash1-format", ["read-only"] = false, ["driver"] = format, ["file"] = "libvirt-pflash1-storage",
        }.ToJsonString());
        return new QemuPflashNodes("libvirt-pflash0-format", "libvirt-pflash1-format", format);
    }

    private static void AddInterfaces(DomainDevices devices, List<string> args)
    {
        for (int i = 0; i < devices.Interfaces.Count; i++)
        {
            var nic = devices.Interfaces[i];
            if (nic.Type != "user")
            {
                throw new VirtException(VirtErrorCode.ConfigUnsupported,
                    $"interface type '{nic.Type}' is not supported without a daemon; use <interface type='user'>");
            }

            string model = nic.ModelType ?? "rtl8139";
            string driver = model switch
            {
                "virtio" => "virtio-net-pci",
                "e1000" or "e1000e" or "rtl8139" => model,
                _ => throw new VirtException(VirtErrorCode.ConfigUnsupported, $"interface model '{model}' is not supported"),
            };
            string netdev = string.Create(CultureInfo.InvariantCulture, $"hostnet{i}");
            Add(args, "-netdev", new JsonObject { ["type"] = "user", ["id"] = netdev }.ToJsonString());
            var device = new JsonObject { ["driver"] = driver, ["netdev"] = netdev, ["id"] = string.Create(CultureInfo.InvariantCulture, $"net{i}") };
            if (nic.MacAddress is { } mac)
            {
                device["mac"] = mac;
            }

            if (nic.BootOrder is { } boot)
            {
                device["bootindex"] = boot;
            }

            AddDevice(args, device);
        }
    }

    private static void AddSerials(DomainDevices devices, QemuRuntimePaths paths, List<string> args)
    {
        for (int i = 0; i < devices.Serials.Count; i++)
        {
            var serial = devices.Serials[i];
            string id = string.Create(CultureInfo.InvariantCulture, $"charserial{i}");
            var chardev = serial.Type switch
            {
                "pty" => new QemuOpts("pty").Add("id", id)
                    .Add("logfile", Path.Combine(paths.LogDirectory, string.Create(CultureInfo.InvariantCulture, $"serial{i}.log"))).Add("logappend", true),
                "file" => new QemuOpts("file").Add("id", id)
                    .Add("path", serial.SourcePath ?? throw new VirtException(VirtErrorCode.ConfigUnsupported, "a file <serial> needs a source path")),
                "null" => new QemuOpts("null").Add("id", id),
                _ => throw new VirtException(VirtErrorCode.ConfigUnsupported, $"serial type '{serial.Type}' is not supported; use pty or file"),
            };
            Add(args, "-chardev", chardev.ToString());
            AddDevice(args, new JsonObject
            {
                ["driver"] = "isa-serial",
                ["chardev"] = id,
                ["id"] = string.Create(CultureInfo.InvariantCulture, $"serial{i}"),
                ["index"] = serial.TargetPort ?? i,
            });
        }

        foreach (var console in devices.Consoles)
        {
            if (console.TargetType is not (null or "serial"))
            {
                throw new VirtException(VirtErrorCode.ConfigUnsupported, $"console target type '{console.TargetType}' is not supported");
            }
        }
    }

    private static void AddGraphics(DomainDevices devices, List<string> args)
    {
        if (devices.Graphics.Count == 0)
        {
            Add(args, "-display", "none");
            return;
        }

        foreach (var graphics in devices.Graphics)
        {
            if (graphics.Type != "vnc")
            {
                throw new VirtException(VirtErrorCode.ConfigUnsupported, $"graphics type '{graphics.Type}' is not supported");
            }

            string listen = graphics.Listen ?? "127.0.0.1";
            bool auto = graphics.AutoPort ?? graphics.Port is null or -1;
            int display = auto || graphics.Port is not { } port ? 0 : port - 5900;
            if (display < 0)
            {
                throw new VirtException(VirtErrorCode.ConfigUnsupported, $"vnc port {graphics.Port} is below 5900");
            }

            var vnc = new QemuOpts(string.Create(CultureInfo.InvariantCulture, $"{(listen.Contains(':', StringComparison.Ordinal) ? $"[{listen}]" : listen)}:{display}"));
            if (auto)
            {
                vnc.Add("to", "99");
            }

            Add(args, "-vnc", vnc.ToString());
        }

        var videos = devices.Videos.Count == 0 ? [new DomainVideo()] : devices.Videos;
        for (int i = 0; i < videos.Count; i++)
        {
            string driver = videos[i].ModelType switch
            {
                "vga" => "VGA",
                "cirrus" => "cirrus-vga",
                "virtio" => i == 0 ? "virtio-vga" : "virtio-gpu-pci",
                "bochs" => "bochs-display",
                "none" => "",
                _ => throw new VirtException(VirtErrorCode.ConfigUnsupported, $"video model '{videos[i].ModelType}' is not supported"),
            };
            if (driver.Length > 0)
            {
                AddDevice(args, new JsonObject { ["driver"] = driver, ["id"] = string.Create(CultureInfo.InvariantCulture, $"video{i}") });
            }
        }
    }
}
