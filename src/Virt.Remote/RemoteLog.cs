using Microsoft.Extensions.Logging;

namespace Virt.Remote;

/// <summary>Virt.Remote's log events (category <c>Virt.Remote</c>, ids <see cref="VirtLogEvents.Remote"/>).</summary>
internal static partial class RemoteLog
{
    public const string Category = "Virt.Remote";

    [LoggerMessage(EventId = VirtLogEvents.Remote.Broken, Level = LogLevel.Warning, Message = "Remote connection broke: {Reason}")]
    public static partial void Broken(ILogger logger, string reason);

    [LoggerMessage(EventId = VirtLogEvents.Remote.UnknownSerial, Level = LogLevel.Debug, Message = "Dropped a reply with serial {Serial} (procedure {Procedure}) that no pending call waits for")]
    public static partial void UnknownSerial(ILogger logger, uint serial, int procedure);

    [LoggerMessage(EventId = VirtLogEvents.Remote.UnexpectedMessage, Level = LogLevel.Debug, Message = "Ignored a message of program {Program:x} procedure {Procedure} type {Type} serial {Serial}")]
    public static partial void UnexpectedMessage(ILogger logger, uint program, int procedure, int type, uint serial);

    [LoggerMessage(EventId = VirtLogEvents.Remote.HandlerFailed, Level = LogLevel.Error, Message = "A remote event handler failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = VirtLogEvents.Remote.Connected, Level = LogLevel.Debug, Message = "Connected to {Uri}, sending {Name}")]
    public static partial void Connected(ILogger logger, string uri, string name);

    [LoggerMessage(EventId = VirtLogEvents.Remote.Reconnected, Level = LogLevel.Information, Message = "Connected again to {Uri}")]
    public static partial void Reconnected(ILogger logger, string uri);

    [LoggerMessage(EventId = VirtLogEvents.Remote.ReconnectFailed, Level = LogLevel.Warning, Message = "Could not connect again to {Uri}; next attempt in {Delay}")]
    public static partial void ReconnectFailed(ILogger logger, string uri, TimeSpan delay, Exception exception);
}
