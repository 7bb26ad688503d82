using Virt.Conf;
using Virt.Drivers;
using Virt.Qemu.Driver.Console;

namespace Virt.Qemu.Driver;

internal sealed partial class QemuDomainDriver
{
    /// <inheritdoc/>
    public override Stream OpenDomainConsole(DomainIdentity domain, string? device, DomainConsoleFlags flags)
    {
        DriverFlags.CheckSupported(flags, DomainConsoleFlags.Safe | DomainConsoleFlags.Force, "qemuDomainOpenConsole");
        var view = Observe(Load(domain));
        if (view.Status is not { Pid: > 0 } status)
        {
            throw NotRunning();
        }

        var chr = ConsoleDevice.Find(DomainDefinition.Parse(status.LiveXml), device)
            ?? throw new VirtException(VirtErrorCode.InternalError, $"cannot find character device {device ?? "<null>"}");
        if (chr.Device.Type != "pty")
        {
            throw new VirtException(VirtErrorCode.InternalError, $"character device {device ?? chr.Alias} is not using a PTY");
        }

        string pty = chr.Device.SourcePath
            ?? throw new VirtException(VirtErrorCode.OperationFailed, $"character device {chr.Alias} has no pty yet");
        var session = ConsoleSession.Claim(_root.RunFolder(view.Name), chr.Alias, flags.HasFlag(DomainConsoleFlags.Force));
        int fd = PtyNative.OpenPty(pty, out int errno);
        if (fd < 0)
        {
            session.Dispose();
            throw new VirtException(VirtErrorCode.OperationFailed,
                $"cannot open '{pty}': {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}");
        }

        if (!PtyNative.MakeRaw(fd))
        {
            PtyNative.CloseFd(fd);
            session.Dispose();
            throw new VirtException(VirtErrorCode.OperationFailed, $"cannot put '{pty}' in raw mode");
        }

        return new ConsoleStream(fd, session);
    }
}
