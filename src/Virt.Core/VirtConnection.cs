using Microsoft.Extensions.Logging;
using Virt.Drivers;

namespace Virt;

/// <summary>
/// The entry point: opens a connection to a driver chosen by the URI's scheme. A thin façade: every
/// call checks that the connection is open and its arguments, then delegates to the driver.
/// </summary>
public sealed class VirtConnection : IVirtConnection
{
    /// <summary>The environment variable that names the default URI, as <c>LIBVIRT_DEFAULT_URI</c> does for libvirt.</summary>
    public const string DefaultUriVariable = "VIRT_DEFAULT_URI";

    /// <summary>The URI used when none is given and <see cref="DefaultUriVariable"/> is not set.</summary>
    public const string FallbackUri = "qemu:///session";

    private readonly VirtDriver _driver;
    private readonly ILogger _logger;
    private readonly DomainEventDispatcher _events;
    private int _disposed;
    private int _eventsStarted;

    private VirtConnection(string uri, VirtDriver driver, ILogger logger)
    {
        Uri = uri;
        _driver = driver;
        _logger = logger;
        _events = new DomainEventDispatcher(this, Wrap, logger);
        driver.AttachEventSink(_events.Post);
        driver.AttachCloseSink(RaiseClosed);
    }

    /// <summary>Opens a connection.</summary>
    /// <param name="uri">The URI, for example <c>qemu:///embed?root=/srv/vms</c> or <c>test:///default</c>;
    /// null for the value of <c>VIRT_DEFAULT_URI</c>, else <c>qemu:///session</c>.</param>
    /// <param name="options">Options; null for defaults. The driver receives them, and logs through their
    /// <see cref="VirtConnectionOptions.LoggerFactory"/> as the façade does.</param>
    /// <returns>The connection.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> for a malformed URI; <see cref="VirtErrorCode.NoConnect"/> when no registered driver handles its scheme or the driver cannot open it.</exception>
    public static VirtConnection Open(string? uri = null, VirtConnectionOptions? options = null)
    {
        options ??= new VirtConnectionOptions();
        uri ??= Environment.GetEnvironmentVariable(DefaultUriVariable) is { Length: > 0 } fromEnv ? fromEnv : FallbackUri;
        var parsed = VirtUri.Parse(uri);
        var registry = options.Registry ?? VirtDriverRegistry.Default;
        if (!registry.TryGetFactory(parsed, out var factory))
        {
            var schemes = registry.Schemes;
            string known = VirtDriverRegistry.IsRemote(parsed)
                ? "a URI with a transport or a host needs the remote driver; register it with Virt.Remote.RemoteDriver.Register()"
                : schemes.Count == 0
                ? "no driver is registered; register one first, for example with Virt.Testing.TestDriver.Register()"
                : "registered schemes: " + string.Join(", ", schemes);
            throw new VirtException(VirtErrorCode.NoConnect, $"for {uri} ({known})");
        }

        var logger = options.LoggerFactory.CreateLogger(VirtLog.Category);
        var driver = factory.Open(parsed, options);
        VirtLog.ConnectionOpened(logger, uri);
        return new VirtConnection(uri, driver, logger);
    }

    /// <inheritdoc/>
    public string Uri { get; }

    /// <summary>The driver behind this connection, for drivers' own extension methods.</summary>
    internal VirtDriver Driver
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return _driver;
        }
    }

    /// <inheritdoc/>
    public string HypervisorType => Driver.HypervisorType;

    /// <inheritdoc/>
    public bool IsAlive => !IsDisposed && _driver.IsAlive;

    /// <inheritdoc/>
    public string GetHostname() => Driver.GetHostname();

    /// <inheritdoc/>
    public Version GetHypervisorVersion() => Driver.GetHypervisorVersion();

    /// <inheritdoc/>
    public event EventHandler<DomainLifecycleEventArgs>? DomainLifecycle
    {
        add
        {
            var driver = Driver;
            if (value is null)
            {
                return;
            }

            if (!driver.SupportsDomainEvents)
            {
                throw new VirtException(VirtErrorCode.NoSupport, "virConnectDomainEventRegisterAny");
            }

            if (Interlocked.Exchange(ref _eventsStarted, 1) == 0)
            {
                try
                {
                    driver.StartDomainEvents();
                }
                catch
                {
                    Volatile.Write(ref _eventsStarted, 0);
                    throw;
                }
            }

            _events.Add(value);
        }

        remove
        {
            if (value is not null)
            {
                _events.Remove(value);
            }
        }
    }

    /// <inheritdoc/>
    public event EventHandler<ConnectionClosedEventArgs>? Closed;

    /// <inheritdoc/>
    public IVirtDomain DefineDomain(string xml, DomainDefineFlags flags = DomainDefineFlags.None)
    {
        var driver = Driver;
        ArgumentNullException.ThrowIfNull(xml);
        return Wrap(driver.DefineDomain(xml, flags));
    }

    /// <inheritdoc/>
    public IVirtDomain LookupDomainByName(string name)
    {
        var driver = Driver;
        ArgumentNullException.ThrowIfNull(name);
        return Wrap(driver.LookupDomainByName(name));
    }

    /// <inheritdoc/>
    public IVirtDomain LookupDomainByUuid(Guid uuid) => Wrap(Driver.LookupDomainByUuid(uuid));

    /// <inheritdoc/>
    public IVirtDomain LookupDomainById(int id) => Wrap(Driver.LookupDomainById(id));

    /// <inheritdoc/>
    public IReadOnlyList<IVirtDomain> ListAllDomains(ListDomainsFlags flags = ListDomainsFlags.None) =>
        Driver.ListAllDomains(flags).Select(Wrap).ToArray();

    /// <summary>Closes the connection and releases the driver. Running domains keep running.</summary>
    public void Dispose()
    {
        // Atomic, so that two threads closing the connection at once release the driver only once.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Events first, so that no handler runs once Dispose returns, not even for what the driver does on close.
        _driver.AttachEventSink(null);
        _driver.AttachCloseSink(null);
        _events.Dispose();
        _driver.Dispose();
        VirtLog.ConnectionClosed(_logger, Uri);
    }

    /// <inheritdoc/>
    public override string ToString() => Uri;

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    private void RaiseClosed(ConnectionClosedEventArgs args)
    {
        if (IsDisposed)
        {
            return;
        }

        try
        {
            Closed?.Invoke(this, args);
        }
#pragma warning disable CA1031 // A subscriber's failure is logged, as for domain events.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            VirtLog.CloseHandlerFailed(_logger, Uri, ex);
        }
    }

    private VirtDomain Wrap(DomainIdentity identity) => new(this, identity);
}
