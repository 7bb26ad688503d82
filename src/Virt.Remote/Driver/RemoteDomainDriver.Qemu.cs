using Virt.Drivers;
using Virt.Remote.Rpc;
using Virt.Remote.Xdr;

namespace Virt.Remote.Driver;

internal sealed partial class RemoteDomainDriver
{
    /// <summary>QEMU_PROC_DOMAIN_MONITOR_COMMAND of the QEMU program (qemu_protocol.x).</summary>
    private const int QemuProcDomainMonitorCommand = 1;

    /// <inheritdoc/>
    public override string MonitorCommand(DomainIdentity domain, string command, MonitorCommandFlags flags)
    {
        var reply = Link().Call(RpcPrograms.Qemu, RpcPrograms.QemuVersion, QemuProcDomainMonitorCommand, w =>
        {
            Protocol.RemoteWire.WriteDomain(w, domain);
            w.WriteString(command);
            w.WriteUInt32((uint)flags);
        });
        return Decode(reply, static (ref XdrReader r) => r.ReadString());
    }
}
