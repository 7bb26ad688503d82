using Virt.Drivers;
using Virt.Qemu.Driver.State;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Driver;

internal sealed partial class QemuDomainDriver
{
    /// <summary>
    /// libvirt's qemuDomainReboot without a guest agent: the ACPI power button is pressed and a fake reboot is armed
    /// (recorded in the status file); the call returns at once. When the guest has powered off, QEMU (run with
    /// <c>-no-shutdown</c>) waits in <c>shutdown</c>; the next job that asks QEMU its state, or the watcher while the
    /// connection has lifecycle subscribers, then resets it and resumes its vCPUs. With <c>&lt;on_reboot&gt;</c>
    /// destroy or preserve the guest is shut down instead, as libvirt does.
    /// </summary>
    public override void RebootDomain(DomainIdentity domain, DomainRebootFlags flags)
    {
        DriverFlags.CheckSupported(flags, DomainRebootFlags.AcpiPowerButton | DomainRebootFlags.GuestAgent, "qemuDomainReboot");
        if (flags.HasFlag(DomainRebootFlags.GuestAgent) && !flags.HasFlag(DomainRebootFlags.AcpiPowerButton))
        {
            // Only the agent was asked for, and this driver runs none (libvirt: qemuDomainAgentAvailable).
            _ = Load(domain);
            throw new VirtException(VirtErrorCode.ArgumentUnsupported, "QEMU guest agent is not configured");
        }

        RunningJob(domain, "reboot", (view, status, monitor) =>
        {
            var def = Conf.DomainDefinition.Parse(status.LiveXml);
            bool isReboot = def.OnReboot is not ("destroy" or "preserve");
            Qemu(monitor.SystemPowerdown);
            return status with { FakeReboot = isReboot };
        });
    }

    /// <summary>Under the job, for a guest that powered off after a reboot's power button: resets QEMU and resumes its vCPUs (libvirt's qemuProcessFakeReboot).</summary>
    private DomainStateInfo FinishReboot(DomainView view, DomainStatus status, QmpClient monitor)
    {
        Qemu(() => monitor.Execute("system_reset"));
        Qemu(monitor.Cont);
        _files.WriteStatus(view.Name, status with { FakeReboot = false, State = DomainState.Running, Reason = (int)DomainRunningReason.Booted });
        PublishDomainEvent(DomainLifecycleEvent.Of(IdentityOf(view), DomainEventResumedDetail.Unpaused));
        return new DomainStateInfo(DomainState.Running, (int)DomainRunningReason.Booted);
    }
}
