using System.Globalization;
using System.Security.Cryptography;
using Virt.Conf;

namespace Virt.Testing;

/// <summary>
/// What libvirt's test driver adds to a definition when it is defined: a UUID, the default
/// architecture, MAC addresses and <c>testnetN</c> interface names, drive addresses and the
/// controllers they need (a virtio-serial controller for channels), and a cirrus video adapter for a display.
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
            int index = (int)Math.Min(DiskIndex(disk.TargetDev), int.MaxValue);
            if (index < 0)
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
                    InsertController(devices.Controllers, new DomainController { Type = type, Index = index });
                }
            }
        }
    }

    private static void AddVirtioSerialController(DomainDevices devices)
    {
        bool needed = devices.HasOtherDevice("channel") || devices.Consoles.Any(c => c.TargetType == "virtio");
        if (needed && !devices.Controllers.Any(c => c.Type == "virtio-serial"))
        {
            InsertController(devices.Controllers, new DomainController { Type = "virtio-serial", Index = 0 });
        }
    }

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

    /// <summary>libvirt's controller order: after the last controller of the same type with a lower index.</summary>
    private static void InsertController(IList<DomainController> controllers, DomainController controller)
    {
        int insertAt = -1;
        for (int i = controllers.Count - 1; i >= 0; i--)
        {
            if (controllers[i].Type != controller.Type)
            {
                continue;
            }

            if (controllers[i].Index > controller.Index)
            {
                insertAt = i;
            }
            else if (insertAt == -1)
            {
                insertAt = i + 1;
            }
        }

        if (insertAt < 0)
        {
            controllers.Add(controller);
        }
        else
        {
            controllers.Insert(insertAt, controller);
        }
    }

    /// <summary>libvirt's <c>virDiskNameToIndex</c>.</summary>
    private static long DiskIndex(string name)
    {
        string? prefix = new[] { "fd", "hd", "vd", "sd", "xvd", "ubd" }.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal));
        if (prefix is null || name.Length == prefix.Length)
        {
            return -1;
        }

        long index = 0;
        for (int i = prefix.Length, n = 0; i < name.Length && n < 6 && name[i] is >= 'a' and <= 'z'; i++, n++)
        {
            index = ((index + (n < 1 ? 0 : 1)) * 26) + (name[i] - 'a');
        }

        return index;
    }
}
