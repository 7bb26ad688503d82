using Virt.Drivers;

namespace Virt.Qemu.Driver;

/// <summary>
/// The QEMU driver: runs QEMU VMs from this process, no daemon. <c>qemu:///embed?root=PATH</c> keeps everything
/// under PATH; <c>qemu:///session</c> under the user's XDG folders. VMs outlive the process that started them, and
/// any process that opens the same root controls them. Register it once, then open connections:
/// <code>QemuDriver.Register(); using var conn = VirtConnection.Open("qemu:///embed?root=/srv/vms");</code>
/// </summary>
public static class QemuDriver
{
    /// <summary>Registers the QEMU driver for the <c>qemu</c> scheme.</summary>
    /// <param name="registry">The registry; null for <see cref="VirtDriverRegistry.Default"/>.</param>
    public static void Register(VirtDriverRegistry? registry = null) =>
        (registry ?? VirtDriverRegistry.Default).Register(new QemuDriverFactory());
}
