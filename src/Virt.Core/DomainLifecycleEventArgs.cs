namespace Virt;

/// <summary>
/// A domain lifecycle event, as libvirt's <c>VIR_DOMAIN_EVENT_ID_LIFECYCLE</c> callback receives it: the domain,
/// what happened (<see cref="Type"/>) and why (<see cref="Detail"/>, whose enum depends on the type). Raised by
/// <see cref="IVirtConnection.DomainLifecycle"/>.
/// </summary>
public sealed class DomainLifecycleEventArgs : EventArgs
{
    /// <summary>Creates the event's arguments (callers of a mocked connection raise the event with these).</summary>
    /// <param name="domain">The domain the event is about.</param>
    /// <param name="type">What happened.</param>
    /// <param name="detail">Why: a value of the detail enum that belongs to <paramref name="type"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> is null.</exception>
    public DomainLifecycleEventArgs(IVirtDomain domain, DomainEventType type, int detail)
    {
        ArgumentNullException.ThrowIfNull(domain);
        Domain = domain;
        Type = type;
        Detail = detail;
    }

    /// <summary>The domain, as a handle on the connection that raised the event. It may no longer exist (after
    /// <see cref="DomainEventType.Undefined"/>, or a transient domain after <see cref="DomainEventType.Stopped"/>);
    /// its <see cref="IVirtDomain.Name"/> and <see cref="IVirtDomain.Uuid"/> always work.</summary>
    public IVirtDomain Domain { get; }

    /// <summary>What happened.</summary>
    public DomainEventType Type { get; }

    /// <summary>Why, as libvirt's number: cast it to the enum named by <see cref="Type"/>'s documentation, for example
    /// <c>(DomainEventStoppedDetail)e.Detail</c> when <see cref="Type"/> is <see cref="DomainEventType.Stopped"/>.</summary>
    public int Detail { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Domain.Name}: {Type} {DomainLifecycleEventNames.Detail(Type, Detail)}";
}
