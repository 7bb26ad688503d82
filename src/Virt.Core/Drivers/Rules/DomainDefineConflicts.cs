namespace Virt.Drivers.Rules;

/// <summary>
/// libvirt's <c>virDomainObjListAddLocked</c> (src/conf/virdomainobjlist.c): when a new definition may replace a
/// domain's, and when it clashes with another domain. Worded as libvirt 9.0 words it.
/// </summary>
internal static class DomainDefineConflicts
{
    /// <summary>Throws when a definition named <paramref name="name"/> with <paramref name="uuid"/> cannot be added.
    /// When it returns, the definition replaces <paramref name="sameUuid"/>'s if there is one, else it is a new domain.</summary>
    /// <param name="name">The new definition's name.</param>
    /// <param name="uuid">The new definition's UUID.</param>
    /// <param name="sameUuid">The domain the driver has with <paramref name="uuid"/>, if any.</param>
    /// <param name="sameName">The domain the driver has named <paramref name="name"/>, if any.</param>
    /// <param name="refuseLive">True to refuse replacing a running or transient domain, as starting a new transient
    /// domain does (libvirt's <c>VIR_DOMAIN_OBJ_LIST_ADD_CHECK_LIVE</c>); false for define.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationFailed"/> when the UUID belongs to a domain with
    /// another name, or the name to a domain with another UUID; <see cref="VirtErrorCode.OperationInvalid"/> when
    /// <paramref name="refuseLive"/> and the domain runs or is transient.</exception>
    public static void Check(string name, Guid uuid, DefinedDomain? sameUuid, DefinedDomain? sameName, bool refuseLive = false)
    {
        if (sameUuid is { } existing)
        {
            if (existing.Name != name)
            {
                throw new VirtException(VirtErrorCode.OperationFailed, $"domain '{existing.Name}' is already defined with uuid {existing.Uuid:D}");
            }

            if (refuseLive && existing.IsActive)
            {
                throw new VirtException(VirtErrorCode.OperationInvalid, $"domain '{existing.Name}' is already active");
            }

            if (refuseLive && !existing.IsPersistent)
            {
                throw new VirtException(VirtErrorCode.OperationInvalid, $"domain '{existing.Name}' is already being started");
            }

            return;
        }

        if (sameName is { } named)
        {
            throw new VirtException(VirtErrorCode.OperationFailed, $"domain '{name}' already exists with uuid {named.Uuid:D}");
        }
    }
}
