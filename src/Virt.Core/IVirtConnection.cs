namespace Virt;

/// <summary>
/// An open connection to a hypervisor driver (libvirt's <c>virConnectPtr</c>). Obtain one with
/// <see cref="VirtConnection.Open(string?, VirtConnectionOptions?)"/>; dispose it when done. Calls
/// after disposal throw <see cref="ObjectDisposedException"/>. Every call is synchronous.
/// </summary>
public interface IVirtConnection : IDisposable
{
    /// <summary>The URI the connection was opened with.</summary>
    string Uri { get; }

    /// <summary>The hypervisor's name, for example <c>QEMU</c> or <c>Test</c>.</summary>
    string HypervisorType { get; }

    /// <summary>Whether the connection is open and its driver still works.</summary>
    bool IsAlive { get; }

    /// <summary>The host's name.</summary>
    /// <returns>The host name.</returns>
    string GetHostname();

    /// <summary>The hypervisor's version.</summary>
    /// <returns>The version.</returns>
    /// <exception cref="VirtException">The driver cannot tell.</exception>
    Version GetHypervisorVersion();

    /// <summary>
    /// Raised for every lifecycle event of every domain of the connection (libvirt's
    /// <c>virConnectDomainEventRegisterAny</c> with <c>VIR_DOMAIN_EVENT_ID_LIFECYCLE</c> and no domain filter): defined,
    /// undefined, started, suspended, resumed, stopped, shutdown, pmsuspended and crashed, each with its detail.
    /// Handlers run on one background thread of the connection, never on the caller's thread and never under the
    /// driver's locks, one event at a time, in the order the changes happened; so a handler may call the connection.
    /// An operation's events may arrive after the call that caused them returned. A handler that throws is logged
    /// (<see cref="VirtLogEvents.Core.EventHandlerFailed"/>) and the other handlers and later events still run; a slow
    /// handler delays later events of this connection, never the driver. Events that happen while no handler is
    /// subscribed are not kept. A handler removed while an event is being delivered may still receive that event.
    /// Disposing the connection drops undelivered events and waits for a running handler to return (unless a handler
    /// disposes it); no handler runs afterwards.
    /// </summary>
    /// <exception cref="VirtException">On subscribing: <see cref="VirtErrorCode.NoSupport"/> when the connection's driver
    /// publishes no events.</exception>
    /// <exception cref="ObjectDisposedException">On subscribing to a closed connection.</exception>
    event EventHandler<DomainLifecycleEventArgs>? DomainLifecycle;

    /// <summary>
    /// Raised when the connection to a peer closes without <see cref="IDisposable.Dispose"/> (libvirt's
    /// <c>virConnectRegisterCloseCallback</c>): the daemon exited or dropped the connection, a read or write failed, or
    /// keepalive found the peer dead. Calls in flight fail with <see cref="ConnectionClosedEventArgs.Error"/>. What
    /// happens next is the driver's: the remote driver connects again on the next call and registers the connection's
    /// <see cref="DomainLifecycle"/> subscription again (see Virt.Remote's README). Raised on a thread pool thread, once
    /// per closed link; a handler that throws is logged. Drivers without a peer never raise it; it is not raised by, or
    /// after, <see cref="IDisposable.Dispose"/>.
    /// </summary>
    event EventHandler<ConnectionClosedEventArgs>? Closed;

    /// <summary>Defines a persistent domain from libvirt domain XML, or updates the definition of one with the same name and UUID.</summary>
    /// <param name="xml">The domain XML.</param>
    /// <param name="flags">Options.</param>
    /// <returns>The domain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="xml"/> is null.</exception>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.XmlError"/> for bad XML; <see cref="VirtErrorCode.OperationFailed"/> when the name or UUID belongs to another domain.</exception>
    IVirtDomain DefineDomain(string xml, DomainDefineFlags flags = DomainDefineFlags.None);

    /// <summary>Finds a domain by name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The domain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoDomain"/> when none has that name.</exception>
    IVirtDomain LookupDomainByName(string name);

    /// <summary>Finds a domain by UUID.</summary>
    /// <param name="uuid">The UUID.</param>
    /// <returns>The domain.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoDomain"/> when none has that UUID.</exception>
    IVirtDomain LookupDomainByUuid(Guid uuid);

    /// <summary>Finds a running domain by id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The domain.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoDomain"/> when no running domain has that id.</exception>
    IVirtDomain LookupDomainById(int id);

    /// <summary>Lists domains.</summary>
    /// <param name="flags">Filters; <see cref="ListDomainsFlags.None"/> lists all.</param>
    /// <returns>The domains.</returns>
    IReadOnlyList<IVirtDomain> ListAllDomains(ListDomainsFlags flags = ListDomainsFlags.None);
}
