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
