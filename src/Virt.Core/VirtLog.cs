using Microsoft.Extensions.Logging;

namespace Virt;

/// <summary>The façade's log events (category <c>Virt</c>, event ids <see cref="VirtLogEvents.Core"/>).</summary>
internal static class VirtLog
{
    public const string Category = "Virt";

    private static readonly Action<ILogger, string, Exception?> OpenedMessage =
        LoggerMessage.Define<string>(LogLevel.Debug,
            new EventId(VirtLogEvents.Core.ConnectionOpened, "ConnectionOpened"), "connection to {Uri} opened");

    private static readonly Action<ILogger, string, Exception?> ClosedMessage =
        LoggerMessage.Define<string>(LogLevel.Debug,
            new EventId(VirtLogEvents.Core.ConnectionClosed, "ConnectionClosed"), "connection to {Uri} closed");

    private static readonly Action<ILogger, string, DomainEventType, Exception?> HandlerFailedMessage =
        LoggerMessage.Define<string, DomainEventType>(LogLevel.Warning,
            new EventId(VirtLogEvents.Core.EventHandlerFailed, "EventHandlerFailed"),
            "a domain event handler threw for domain '{Domain}', event {Type}; the other handlers still ran");

    private static readonly Action<ILogger, string, Exception?> CloseHandlerFailedMessage =
        LoggerMessage.Define<string>(LogLevel.Warning,
            new EventId(VirtLogEvents.Core.CloseHandlerFailed, "CloseHandlerFailed"), "a Closed handler of the connection to {Uri} threw");

    public static void ConnectionOpened(ILogger logger, string uri) => OpenedMessage(logger, uri, null);

    public static void ConnectionClosed(ILogger logger, string uri) => ClosedMessage(logger, uri, null);

    public static void EventHandlerFailed(ILogger logger, string domain, DomainEventType type, Exception exception) =>
        HandlerFailedMessage(logger, domain, type, exception);

    public static void CloseHandlerFailed(ILogger logger, string uri, Exception exception) => CloseHandlerFailedMessage(logger, uri, exception);
}
