using Virt.Conf;
using Virt.Qemu.Images;
using Virt.Snapshot;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>
/// The overlays of an external snapshot: planned and checked before anything changes (libvirt's
/// <c>qemuSnapshotPrepareDiskExternal</c> messages), created natively (<see cref="QemuImage.CreateOverlay"/>: atomic,
/// fsynced, the backing file recorded by absolute path with its format) before QEMU or a definition uses them, removed
/// again on failure (except reused ones), and put into a definition in place of the disks' files.
/// </summary>
internal static class ExternalOverlays
{
    /// <summary>The overlays of a new snapshot whose disks are aligned with <paramref name="def"/>.</summary>
    /// <param name="snapshot">The completed snapshot definition (external disks have their file).</param>
    /// <param name="def">The definition the domain runs (or has, shut off) now.</param>
    /// <param name="reuse">REUSE_EXT: the files exist and are used as they are.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.ConfigUnsupported"/> for an overlay format other than
    /// qcow2, a file that exists without REUSE_EXT, a disk that is not a file or block device, or a reused file that is not
    /// a qcow2 overlay of the disk's file; <see cref="VirtErrorCode.SystemError"/> for a reused file that does not exist.</exception>
    public static List<ExternalOverlay> Plan(SnapshotDefinition snapshot, DomainDefinition def, bool reuse)
    {
        var overlays = new List<ExternalOverlay>();
        foreach (var disk in snapshot.Disks.Where(d => d.Snapshot == SnapshotLocation.External))
        {
            var domainDisk = def.Devices.Disks.First(d => d.TargetDev == disk.Name);
            if (disk.DriverType is not (null or "qcow2"))
            {
                throw Unsupported($"external snapshot format for disk {disk.Name} is unsupported: {disk.DriverType}");
            }

            if (disk.SourceType is not (null or "file") || domainDisk.Type is not ("file" or "block") || domainDisk.Source is not { } source)
            {
                throw Unsupported($"external snapshots of disk '{disk.Name}' need a file or block device disk and a file overlay");
            }

            string path = System.IO.Path.GetFullPath(disk.SourcePath!);
            string format = domainDisk.DriverType ?? "raw";
            bool exists = File.Exists(path) || Directory.Exists(path);
            if (reuse)
            {
                if (!exists)
                {
                    throw new VirtException(VirtErrorCode.SystemError, $"missing existing file for disk {disk.Name}: {path}: No such file or directory");
                }

                CheckReused(disk.Name, path, source);
            }
            else if (exists && (Directory.Exists(path) || new FileInfo(path).Length > 0))
            {
                throw Unsupported($"external snapshot file for disk {disk.Name} already exists and is not a block device: {path}");
            }

            if (overlays.Any(o => o.Path == path))
            {
                throw Unsupported($"cannot use the same file '{path}' for two disks of snapshot '{snapshot.Name}'");
            }

            overlays.Add(new ExternalOverlay(disk.Name, System.IO.Path.GetFullPath(source), format, path, reuse));
        }

        return overlays;
    }

    /// <summary>Creates the overlays that are not reused, each after the <paramref name="step"/> before it; a failure
    /// removes those created.</summary>
    /// <exception cref="VirtException">As <see cref="QemuImage.CreateOverlay"/>.</exception>
    public static void Create(IReadOnlyList<ExternalOverlay> overlays, Action? step = null)
    {
        var created = new List<ExternalOverlay>();
        try
        {
            foreach (var overlay in overlays.Where(o => !o.Reused))
            {
                QemuImage.CreateOverlay(overlay.Path, overlay.Backing, overlay.BackingFormat, new ImageCreateOptions { Overwrite = File.Exists(overlay.Path) });
                created.Add(overlay);
                step?.Invoke();
            }
        }
        catch
        {
            Remove(created);
            throw;
        }
    }

    /// <summary>Best effort: removes the overlays this operation created (never a reused one).</summary>
    public static void Remove(IEnumerable<ExternalOverlay> overlays)
    {
        foreach (var overlay in overlays.Where(o => !o.Reused))
        {
            try
            {
                File.Delete(overlay.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for the user: the original error matters more.
            }
        }
    }

    /// <summary>A copy of <paramref name="def"/> whose disks named by <paramref name="overlays"/> use them (qcow2 files),
    /// optionally only where the disk still uses the overlay's backing file (libvirt updates a persistent disk only when
    /// it is the same file as the live one).</summary>
    public static DomainDefinition Switch(DomainDefinition def, IReadOnlyList<ExternalOverlay> overlays, bool onlySameSource = false)
    {
        var copy = def.Clone();
        foreach (var overlay in overlays)
        {
            var disk = copy.Devices.Disks.FirstOrDefault(d => d.TargetDev == overlay.Target);
            if (disk?.Source is not { } source || (onlySameSource && ExternalReferences.Canonical(source) != ExternalReferences.Canonical(overlay.Backing)))
            {
                continue;
            }

            disk.Type = "file";
            disk.Source = overlay.Path;
            disk.DriverType = "qcow2";
        }

        return copy;
    }

    private static void CheckReused(string name, string path, string source)
    {
        ImageInfo info;
        try
        {
            info = QemuImage.GetInfo(path);
        }
        catch (VirtException e)
        {
            throw Unsupported($"reused external snapshot file for disk {name} cannot be used: {e.Detail}");
        }

        if (info.Format != "qcow2" || info.FullBackingFilename is not { } backing
            || ExternalReferences.Canonical(backing) != ExternalReferences.Canonical(source))
        {
            throw Unsupported($"reused external snapshot file '{path}' for disk {name} must be a qcow2 overlay whose backing file is '{source}'");
        }
    }

    private static VirtException Unsupported(string message) => new(VirtErrorCode.ConfigUnsupported, message);
}
