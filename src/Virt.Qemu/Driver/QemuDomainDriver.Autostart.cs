using Virt.Drivers;
using Virt.IO;

namespace Virt.Qemu.Driver;

internal sealed partial class QemuDomainDriver
{
    /// <inheritdoc/>
    public override void SetDomainAutostart(DomainIdentity domain, bool autostart)
    {
        var view = Load(domain);
        if (!view.IsPersistent)
        {
            throw new VirtException(VirtErrorCode.OperationInvalid, "cannot set autostart for transient domain");
        }

        string file = _root.AutostartFile(domain.Name);
        if (autostart)
        {
            new AtomicFile().Write(file, string.Empty);
        }
        else
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Starts the domains marked autostart that are not running, once per host boot and root: the first connection
    /// opened on the root since the host booted does it (libvirt's driver does it when it starts, once per boot, through
    /// an <c>autostarted</c> marker in its runtime folder; here the marker names the boot, so an embed root, whose
    /// runtime folder survives a reboot, autostarts again after one). A domain that fails to start is logged and skipped,
    /// as libvirt does.
    /// </summary>
    internal void AutostartOnce()
    {
        string bootId = BootId();
        string folder = Path.Combine(_root.Run, ".autostart");
        PrivateDirectory.Create(folder);
        using var held = FolderLock.TryAcquire(folder, out _);
        if (held is null)
        {
            // Another connection is autostarting this root right now.
            return;
        }

        string marker = Path.Combine(folder, "autostarted");
        if (File.Exists(marker) && File.ReadAllText(marker) == bootId)
        {
            return;
        }

        foreach (var view in AllDomains().ToList())
        {
            if (view.IsPersistent && !view.IsActive && _files.ReadAutostart(view.Name))
            {
                try
                {
                    StartDomain(IdentityOf(view), DomainStartFlags.None, CancellationToken.None);
                }
                catch (VirtException e)
                {
                    QemuDriverLog.AutostartFailed(_log, view.Name, e);
                }
            }
        }

        new AtomicFile().Write(marker, bootId);
    }

    private static string BootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }
}
