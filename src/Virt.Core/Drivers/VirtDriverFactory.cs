namespace Virt.Drivers;

/// <summary>Opens connections for one URI scheme. Register instances with <see cref="VirtDriverRegistry"/>.</summary>
public abstract class VirtDriverFactory
{
    /// <summary>The URI scheme this factory handles, for example <c>qemu</c> or <c>test</c>.</summary>
    public abstract string Scheme { get; }

    /// <summary>Opens a connection.</summary>
    /// <param name="uri">The parsed URI; its scheme equals <see cref="Scheme"/>.</param>
    /// <param name="options">Connection options. The driver writes its log events through their
    /// <see cref="VirtConnectionOptions.LoggerFactory"/>, with event ids from its range of <see cref="VirtLogEvents"/>.</param>
    /// <returns>A driver instance owned by the new connection.</returns>
    /// <exception cref="VirtException">The URI's path or parameters are not valid for this driver, or the connection fails.</exception>
    public abstract VirtDriver Open(VirtUri uri, VirtConnectionOptions options);
}
