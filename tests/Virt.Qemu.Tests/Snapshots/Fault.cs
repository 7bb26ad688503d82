namespace Virt.Qemu.Tests.Snapshots;

/// <summary>What goes wrong at a step of a snapshot operation (<see cref="FaultInjection"/>).</summary>
public enum Fault
{
    /// <summary>The step throws.</summary>
    Fails,

    /// <summary>QEMU is killed (SIGKILL) at the step.</summary>
    QemuKilled,

    /// <summary>The managing process is killed (SIGKILL) at the step: the operation runs in a child process (this
    /// assembly, see <see cref="Program"/>), and the test reopens the root after it died.</summary>
    ManagerKilled,
}
