using Virt.Drivers;
using Virt.Qemu.Driver.State;

namespace Virt.Qemu.Driver;

/// <summary>Opens QEMU connections: <c>qemu:///embed?root=PATH</c> and <c>qemu:///session</c>.</summary>
public sealed class QemuDriverFactory : VirtDriverFactory
{
    /// <inheritdoc/>
    public override string Scheme => "qemu";

    /// <inheritdoc/>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoConnect"/> for another path, a remote host or a
    /// missing root; <see cref="VirtErrorCode.SystemError"/> when the root cannot be created.</exception>
    public override VirtDriver Open(VirtUri uri, VirtConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(options);
        if (uri.Host.Length != 0 || uri.Transport is not null)
        {
            throw new VirtException(VirtErrorCode.NoConnect, $"for {uri.Original}: remote QEMU hosts are reached through libvirtd, not this driver");
        }

        var root = uri.Path switch
        {
            "/embed" when uri.Parameters.TryGetValue("root", out string? path) && path.Length > 0 => StateRoot.Embed(path),
            "/embed" => throw new VirtException(VirtErrorCode.NoConnect, $"for {uri.Original}: qemu:///embed needs a root: qemu:///embed?root=/path"),
            "/session" => StateRoot.Session(),
            _ => throw new VirtException(VirtErrorCode.NoConnect,
                $"for {uri.Original}: the QEMU driver provides qemu:///embed?root=PATH and qemu:///session (qemu:///system needs libvirtd)"),
        };
        var driver = new QemuDomainDriver(root, options.LoggerFactory);
        driver.AutostartOnce();
        return driver;
    }
}
