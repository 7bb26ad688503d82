using Virt.Qemu.Driver.Process;

namespace Virt.Qemu.Driver;

internal sealed partial class QemuDomainDriver
{
    /// <inheritdoc/>
    /// <remarks>As libvirt's QEMU driver: the version of the host's default emulator, whether or not a domain runs.</remarks>
    public override Version GetHypervisorVersion() => QemuEmulatorVersion.Of(QemuCommandLine.DefaultEmulator);
}
