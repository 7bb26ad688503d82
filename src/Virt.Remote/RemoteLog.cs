using Microsoft.Extensions.Logging;

namespace Virt.Remote;

/// <summary>Virt.Remote's log events (category <c>Virt.Remote</c>, ids 7000–7999).</summary>
internal static partial class RemoteLog
{
    public const string Category = "Virt.Remote";

    [LoggerMessage(EventId = 7000, Level = LogLevel.Warning, Message = "Remote connection broke: {Reason}")]
    public static partial void Broken(ILogger logger, string reason);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Debug, Message = "Dropped a reply with serial {Serial} (procedure {Procedure}) that no pending call waits for")]
    public static partial void UnknownSerial(ILogger logger, uint serial, int procedure);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Debug, Message = "Ignored a message of program {Program:x} procedure {Procedure} type {Type} serial {Serial}")]
    public static partial void UnexpectedMessage(ILogger logger, uint program, int procedure, int type, uint serial);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Error, Message = "A remote event handler failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Debug, Message = "Connected to {Uri}, sending {Name}")]
    public static partial void Connected(ILogger logger, string uri, string name);
}
