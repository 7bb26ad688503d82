using Virt.Qemu.Qmp;

namespace Virt.Qemu.Driver.Process;

/// <summary>A QEMU that <see cref="QemuProcessLauncher"/> started: paused in prelaunch, its monitor connected.</summary>
/// <param name="Process">QEMU, in a session of its own.</param>
/// <param name="Monitor">The connected QMP client; the caller owns it.</param>
internal sealed record QemuLaunch(ProcessIdentity Process, QmpClient Monitor);
