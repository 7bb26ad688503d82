namespace Virt;

/// <summary>The names of event types and details, for <see cref="DomainLifecycleEventArgs.ToString"/>.</summary>
internal static class DomainLifecycleEventNames
{
    public static string Detail(DomainEventType type, int detail) => type switch
    {
        DomainEventType.Defined => Name((DomainEventDefinedDetail)detail),
        DomainEventType.Undefined => Name((DomainEventUndefinedDetail)detail),
        DomainEventType.Started => Name((DomainEventStartedDetail)detail),
        DomainEventType.Suspended => Name((DomainEventSuspendedDetail)detail),
        DomainEventType.Resumed => Name((DomainEventResumedDetail)detail),
        DomainEventType.Stopped => Name((DomainEventStoppedDetail)detail),
        DomainEventType.Shutdown => Name((DomainEventShutdownDetail)detail),
        DomainEventType.PMSuspended => Name((DomainEventPMSuspendedDetail)detail),
        DomainEventType.Crashed => Name((DomainEventCrashedDetail)detail),
        _ => detail.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Name<T>(T value)
        where T : struct, Enum => Enum.IsDefined(value) ? value.ToString() : Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
