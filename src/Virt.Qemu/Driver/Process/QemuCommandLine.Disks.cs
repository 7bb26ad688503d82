using System.Globalization;
using System.Text.Json.Nodes;
using Virt.Conf;

namespace Virt.Qemu.Driver.Process;

internal static partial class QemuCommandLine
{
    private const int SataPortsPerController = 6;

    private static List<QemuDiskNodes> AddDisks(DomainDefinition def, bool q35, List<string> args)
    {
        var result = new List<QemuDiskNodes>();
        bool sataController = false;
        bool scsiController = false;
        int nodeIndex = 0;
        foreach (var disk in def.Devices.Disks)
        {
            string bus = disk.TargetBus ?? throw new VirtException(VirtErrorCode.ConfigUnsupported, $"disk '{disk.TargetDev}' has no bus");
            bool cdrom = disk.Device == "cdrom";
            if (disk.Device is not ("disk" or "cdrom"))
            {
                throw new VirtException(VirtErrorCode.ConfigUnsupported, $"disk device '{disk.Device}' of disk '{disk.TargetDev}' is not supported");
            }

            if (disk.Source is null && !cdrom)
            {
                throw new VirtException(VirtErrorCode.ConfigUnsupported, $"disk '{disk.TargetDev}' has no source");
            }

            string? storage = null;
            string? format = null;
            if (disk.Source is { } source)
            {
                nodeIndex++;
                storage = string.Create(CultureInfo.InvariantCulture, $"libvirt-{nodeIndex}-storage");
                format = string.Create(CultureInfo.InvariantCulture, $"libvirt-{nodeIndex}-format");
                AddDiskNodes(disk, source, storage, format, args);
            }

            var device = new JsonObject();
            string alias = bus switch
            {
                "virtio" when cdrom => throw new VirtException(VirtErrorCode.ConfigUnsupported, $"disk '{disk.TargetDev}': a cdrom cannot use bus 'virtio'"),
                "virtio" => VirtioDisk(disk, device),
                "sata" => SataDisk(disk, device, q35, cdrom, ref sataController, args),
                "ide" when q35 => throw new VirtException(VirtErrorCode.ConfigUnsupported, "IDE controllers are unsupported for this QEMU binary or machine type"),
                "ide" => IdeDisk(disk, device, cdrom),
                "scsi" => ScsiDisk(disk, device, cdrom, ref scsiController, args),
                _ => throw new VirtException(VirtErrorCode.ConfigUnsupported, $"disk bus '{bus}' of disk '{disk.TargetDev}' is not supported"),
            };
            if (format is not null)
            {
                device["drive"] = format;
            }

            device["id"] = alias;
            if (disk.Shareable)
            {
                device["share-rw"] = true;
            }

            if (disk.Serial is { } serial)
            {
                device["serial"] = serial;
            }

            if (CacheWritesThrough(disk.DriverCache) is true)
            {
                device["write-cache"] = "off";
            }

            if (disk.BootOrder is { } boot)
            {
                device["bootindex"] = boot;
            }

            AddDevice(args, device);
            result.Add(new QemuDiskNodes(disk.TargetDev, alias, storage, format, format is null ? null : disk.DriverType ?? "raw"));
        }

        return result;
    }

    private static void AddDiskNodes(DomainDisk disk, string source, string storage, string format, List<string> args)
    {
        string protocol = disk.Type switch
        {
            "file" => "file",
            "block" => "host_device",
            _ => throw new VirtException(VirtErrorCode.ConfigUnsupported, $"disk type '{disk.Type}' of disk '{disk.TargetDev}' is not supported"),
        };
        var storageNode = new JsonObject
        {
            ["driver"] = protocol,
            ["filename"] = source,
            ["node-name"] = storage,
            ["auto-read-only"] = true,
            ["discard"] = "unmap",
        };
        var formatNode = new JsonObject
        {
            ["node-name"] = format,
            ["read-only"] = disk.ReadOnly || disk.Device == "cdrom",
            ["driver"] = disk.DriverType ?? "raw",
            ["file"] = storage,
        };
        if (Cache(disk) is { } cache)
        {
            storageNode["cache"] = cache;
            formatNode["cache"] = cache.DeepClone();
        }

        Add(args, "-blockdev", storageNode.ToJsonString());
        Add(args, "-blockdev", formatNode.ToJsonString());
    }

    private static JsonObject? Cache(DomainDisk disk)
    {
        (bool direct, bool noFlush)? mode = disk.DriverCache switch
        {
            null or "default" => null,
            "none" or "directsync" => (true, false),
            "writeback" or "writethrough" => (false, false),
            "unsafe" => (false, true),
            _ => throw new VirtException(VirtErrorCode.ConfigUnsupported, $"disk cache mode '{disk.DriverCache}' of disk '{disk.TargetDev}' is not supported"),
        };
        return mode is { } m ? new JsonObject { ["direct"] = m.direct, ["no-flush"] = m.noFlush } : null;
    }

    private static bool? CacheWritesThrough(string? cache) => cache is "writethrough" or "directsync" ? true : null;

    private static string VirtioDisk(DomainDisk disk, JsonObject device)
    {
        device["driver"] = "virtio-blk-pci";
        return string.Create(CultureInfo.InvariantCulture, $"virtio-disk{DiskIndex(disk)}");
    }

    private static string SataDisk(DomainDisk disk, JsonObject device, bool q35, bool cdrom, ref bool controller, List<string> args)
    {
        int unit = disk.Address is { Type: "drive", Unit: { } u } ? u : DiskIndex(disk) % SataPortsPerController;
        int controllerIndex = disk.Address is { Type: "drive", Controller: { } c } ? c : DiskIndex(disk) / SataPortsPerController;
        if (controllerIndex != 0 || unit >= SataPortsPerController)
        {
            throw new VirtException(VirtErrorCode.ConfigUnsupported, $"disk '{disk.TargetDev}': only the first SATA controller's {SataPortsPerController} ports are supported");
        }

        if (!q35 && !controller)
        {
            AddDevice(args, new JsonObject { ["driver"] = "ahci", ["id"] = "sata0" });
            controller = true;
        }

        RefuseReadOnlyHardDisk(disk, cdrom, "sata");
        device["driver"] = cdrom ? "ide-cd" : "ide-hd";
        device["bus"] = (q35 ? "ide." : "sata0.") + unit.ToString(CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"sata0-0-{unit}");
    }

    private static string IdeDisk(DomainDisk disk, JsonObject device, bool cdrom)
    {
        int index = DiskIndex(disk);
        int bus = disk.Address is { Type: "drive", Bus: { } b } ? b : index / 2;
        int unit = disk.Address is { Type: "drive", Unit: { } u } ? u : index % 2;
        if (bus > 1 || unit > 1)
        {
            throw new VirtException(VirtErrorCode.ConfigUnsupported, $"disk '{disk.TargetDev}': the IDE controller has 2 buses of 2 units");
        }

        RefuseReadOnlyHardDisk(disk, cdrom, "ide");
        device["driver"] = cdrom ? "ide-cd" : "ide-hd";
        device["bus"] = string.Create(CultureInfo.InvariantCulture, $"ide.{bus}");
        device["unit"] = unit;
        return string.Create(CultureInfo.InvariantCulture, $"ide0-{bus}-{unit}");
    }

    private static string ScsiDisk(DomainDisk disk, JsonObject device, bool cdrom, ref bool controller, List<string> args)
    {
        int unit = disk.Address is { Type: "drive", Unit: { } u } ? u : DiskIndex(disk);
        if (!controller)
        {
            AddDevice(args, new JsonObject { ["driver"] = "virtio-scsi-pci", ["id"] = "scsi0" });
            controller = true;
        }

        device["driver"] = cdrom ? "scsi-cd" : "scsi-hd";
        device["bus"] = "scsi0.0";
        device["channel"] = 0;
        device["scsi-id"] = 0;
        device["lun"] = unit;
        return string.Create(CultureInfo.InvariantCulture, $"scsi0-0-0-{unit}");
    }

    private static void RefuseReadOnlyHardDisk(DomainDisk disk, bool cdrom, string bus)
    {
        if (disk.ReadOnly && !cdrom)
        {
            throw new VirtException(VirtErrorCode.ConfigUnsupported, $"readonly {bus} disks are not supported");
        }
    }

    private static int DiskIndex(DomainDisk disk) =>
        disk.TargetIndex ?? throw new VirtException(VirtErrorCode.ConfigUnsupported, $"disk target '{disk.TargetDev}' is not a valid disk name");
}
