namespace Virt.Drivers;

/// <summary>
/// A lifecycle event as a driver publishes it (<see cref="VirtDriver.PublishDomainEvent"/>): libvirt's
/// <c>virDomainEventLifecycleNew(dom, type, detail)</c>. The factory methods pick the type from the detail's enum.
/// </summary>
/// <param name="Domain">The domain.</param>
/// <param name="Type">What happened.</param>
/// <param name="Detail">Why, a value of the detail enum that belongs to <paramref name="Type"/>.</param>
public sealed record DomainLifecycleEvent(DomainIdentity Domain, DomainEventType Type, int Detail)
{
    /// <summary>A <see cref="DomainEventType.Defined"/> event.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="detail">Why.</param>
    /// <returns>The event.</returns>
    public static DomainLifecycleEvent Of(DomainIdentity domain, DomainEventDefinedDetail detail) => new(domain, DomainEventType.Defined, (int)detail);

    /// <summary>An <see cref="DomainEventType.Undefined"/> event.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="detail">Why.</param>
    /// <returns>The event.</returns>
    public static DomainLifecycleEvent Of(DomainIdentity domain, DomainEventUndefinedDetail detail) => new(domain, DomainEventType.Undefined, (int)detail);

    /// <summary>A <see cref="DomainEventType.Started"/> event.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="detail">Why.</param>
    /// <returns>The event.</returns>
    public static DomainLifecycleEvent Of(DomainIdentity domain, DomainEventStartedDetail detail) => new(domain, DomainEventType.Started, (int)detail);

    /// <summary>A <see cref="DomainEventType.Suspended"/> event.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="detail">Why.</param>
    /// <returns>The event.</returns>
    public static DomainLifecycleEvent Of(DomainIdentity domain, DomainEventSuspendedDetail detail) => new(domain, DomainEventType.Suspended, (int)detail);

    /// <summary>A <see cref="DomainEventType.Resumed"/> event.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="detail">Why.</param>
    /// <returns>The event.</returns>
    public static DomainLifecycleEvent Of(DomainIdentity domain, DomainEventResumedDetail detail) => new(domain, DomainEventType.Resumed, (int)detail);

    /// <summary>A <see cref="DomainEventType.Stopped"/> event.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="detail">Why.</param>
    /// <returns>The event.</returns>
    public static DomainLifecycleEvent Of(DomainIdentity domain, DomainEventStoppedDetail detail) => new(domain, DomainEventType.Stopped, (int)detail);

    /// <summary>A <see cref="DomainEventType.Shutdown"/> event.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="detail">How.</param>
    /// <returns>The event.</returns>
    public static DomainLifecycleEvent Of(DomainIdentity domain, DomainEventShutdownDetail detail) => new(domain, DomainEventType.Shutdown, (int)detail);

    /// <summary>A <see cref="DomainEventType.PMSuspended"/> event.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="detail">How.</param>
    /// <returns>The event.</returns>
    public static DomainLifecycleEvent Of(DomainIdentity domain, DomainEventPMSuspendedDetail detail) => new(domain, DomainEventType.PMSuspended, (int)detail);

    /// <summary>A <see cref="DomainEventType.Crashed"/> event.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="detail">How.</param>
    /// <returns>The event.</returns>
    public static DomainLifecycleEvent Of(DomainIdentity domain, DomainEventCrashedDetail detail) => new(domain, DomainEventType.Crashed, (int)detail);
}
