using Virt.Drivers;
using Virt.Qemu.Driver.Process;

namespace Virt.Qemu.Driver.Monitor;

/// <summary>A connection of this process that hears the lifecycle events of the domains in its root (<see cref="MonitorEvents"/>).</summary>
internal interface IMonitorEventSink
{
    /// <summary>Gives <paramref name="lifecycleEvent"/> to the connection's subscribers (queued; never blocks).</summary>
    void Deliver(DomainLifecycleEvent lifecycleEvent);

    /// <summary>On a pool thread, after QEMU said SHUTDOWN or its monitor reached its end: under the domain's job, ends
    /// or settles the QEMU <paramref name="qemu"/> of domain <paramref name="name"/> if the files still record it.</summary>
    void SettleFromMonitor(string name, ProcessIdentity qemu);
}
