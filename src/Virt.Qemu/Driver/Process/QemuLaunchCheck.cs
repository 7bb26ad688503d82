using Virt.Conf;
using Virt.Qemu.Images;

namespace Virt.Qemu.Driver.Process;

/// <summary>
/// What is checked on the host before QEMU runs, so that a definition QEMU would refuse half way fails with an
/// error naming the element: the emulator, KVM for <c>type='kvm'</c>, the firmware, and every disk image, whose
/// header is read natively and must match the declared format (the whole backing chain must open).
/// </summary>
internal static class QemuLaunchCheck
{
    /// <exception cref="VirtException">Naming what is wrong.</exception>
    public static void Check(DomainDefinition def)
    {
        string emulator = def.Devices.Emulator ?? QemuCommandLine.DefaultEmulator;
        if (!File.Exists(emulator))
        {
            throw new VirtException(VirtErrorCode.SystemError, $"Cannot check QEMU binary {emulator}: No such file or directory");
        }

        if (def.Type == "kvm" && !KvmUsable(out string why))
        {
            throw new VirtException(VirtErrorCode.ConfigUnsupported, $"domain type 'kvm' needs /dev/kvm: {why}; use <domain type='qemu'> for TCG");
        }

        if (def.Os.Loader?.Path is { } loader && !File.Exists(loader))
        {
            throw new VirtException(VirtErrorCode.ConfigUnsupported, $"firmware '{loader}' (<loader>) does not exist");
        }

        foreach (string? file in new[] { def.Os.Kernel, def.Os.Initrd })
        {
            if (file is not null && !File.Exists(file))
            {
                throw new VirtException(VirtErrorCode.SystemError, $"Cannot access storage file '{file}': No such file or directory");
            }
        }

        foreach (var disk in def.Devices.Disks)
        {
            if (disk.Source is { } source)
            {
                CheckDisk(disk, source);
            }
        }
    }

    private static void CheckDisk(DomainDisk disk, string source)
    {
        if (!File.Exists(source) && !(disk.Type == "block" && Path.Exists(source)))
        {
            throw new VirtException(VirtErrorCode.SystemError, $"Cannot access storage file '{source}' (disk '{disk.TargetDev}'): No such file or directory");
        }

        string declared = disk.DriverType ?? "raw";
        if (declared is not ("raw" or "qcow2"))
        {
            throw new VirtException(VirtErrorCode.ConfigUnsupported, $"disk '{disk.TargetDev}': image format '{declared}' is not supported; use raw or qcow2");
        }

        ImageInfo image;
        try
        {
            image = QemuImage.GetInfo(source);
        }
        catch (VirtException e)
        {
            throw new VirtException(e.Code, $"disk '{disk.TargetDev}': {e.Message}", e);
        }

        if (image.Format != declared && !(declared == "raw" && image.Format != "qcow2"))
        {
            throw new VirtException(VirtErrorCode.ConfigUnsupported,
                $"disk '{disk.TargetDev}': '{source}' is a {image.Format} image, but <driver type='{declared}'> says {declared}");
        }

        // An image without a backing file is its whole chain: the header just read is all there is to check.
        if (declared == "qcow2" && image.BackingFilename is not null)
        {
            try
            {
                _ = QemuImage.GetBackingChain(source, "qcow2");
            }
            catch (VirtException e)
            {
                throw new VirtException(e.Code, $"disk '{disk.TargetDev}': {e.Message}", e);
            }
        }
    }

    private static bool KvmUsable(out string why)
    {
        try
        {
            using var kvm = new FileStream("/dev/kvm", FileMode.Open, FileAccess.ReadWrite);
            why = "";
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            why = e.Message;
            return false;
        }
    }
}
