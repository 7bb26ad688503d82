namespace Virt.Drivers;

/// <summary>
/// The drivers a process can open connections with. Drivers are registered explicitly (no
/// assembly scanning), usually once at start-up, for example with <c>TestDriver.Register()</c>.
/// Thread-safe.
/// </summary>
public sealed class VirtDriverRegistry
{
    private readonly Dictionary<string, VirtDriverFactory> _factories = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>The registry <see cref="VirtConnection.Open(string?, VirtConnectionOptions?)"/> uses when the options name none.</summary>
    public static VirtDriverRegistry Default { get; } = new();

    /// <summary>Registers a factory for its scheme, replacing any earlier one for the same scheme.</summary>
    /// <param name="factory">The factory.</param>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public void Register(VirtDriverFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        lock (_lock)
        {
            _factories[factory.Scheme] = factory;
        }
    }

    /// <summary>The registered schemes, sorted.</summary>
    public IReadOnlyList<string> Schemes
    {
        get
        {
            lock (_lock)
            {
                return _factories.Keys.Order(StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>The scheme the remote driver registers under; it serves every URI with a transport or a host, as libvirt's remote driver does.</summary>
    public const string RemoteScheme = "remote";

    /// <summary>
    /// Finds the factory that opens a URI: the remote driver's (<see cref="RemoteScheme"/>) for a URI with a transport
    /// (<c>test+unix://</c>) or a host (<c>qemu://host/system</c>), never an in-process driver; otherwise its scheme's.
    /// </summary>
    /// <param name="uri">The URI.</param>
    /// <param name="factory">The factory, when found.</param>
    /// <returns>True when a factory is registered for the URI.</returns>
    public bool TryGetFactory(VirtUri uri, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out VirtDriverFactory? factory)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return TryGetFactory(IsRemote(uri) ? RemoteScheme : uri.Scheme, out factory);
    }

    /// <summary>Whether a URI needs the remote driver: it names a transport or a host.</summary>
    /// <param name="uri">The URI.</param>
    /// <returns>True for a remote URI.</returns>
    public static bool IsRemote(VirtUri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.Transport is not null || uri.Host.Length > 0;
    }

    /// <summary>Finds the factory for a scheme.</summary>
    /// <param name="scheme">The scheme.</param>
    /// <param name="factory">The factory, when found.</param>
    /// <returns>True when a factory is registered for <paramref name="scheme"/>.</returns>
    public bool TryGetFactory(string scheme, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out VirtDriverFactory? factory)
    {
        lock (_lock)
        {
            return _factories.TryGetValue(scheme, out factory);
        }
    }
}
