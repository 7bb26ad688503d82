using Microsoft.Extensions.Logging;

namespace Virt.Qemu.Qmp;

/// <summary>The QMP client's log events (category <c>Virt.Qmp</c>, event ids <see cref="VirtLogEvents.Qmp"/>).</summary>
internal static class QmpLog
{
    public const string Category = "Virt.Qmp";

    private static readonly Action<ILogger, string, QmpState, QmpState, Exception?> StateChangedMessage =
        LoggerMessage.Define<string, QmpState, QmpState>(LogLevel.Information, new EventId(VirtLogEvents.Qmp.StateChanged, "StateChanged"), "QMP {Socket}: {From} -> {To}");

    private static readonly Action<ILogger, string, string, Exception?> BrokenMessage =
        LoggerMessage.Define<string, string>(LogLevel.Warning, new EventId(VirtLogEvents.Qmp.Broken, "Broken"), "QMP {Socket} broken: {Reason}");

    private static readonly Action<ILogger, string, Exception?> SentMessage =
        LoggerMessage.Define<string>(LogLevel.Trace, new EventId(VirtLogEvents.Qmp.Sent, "Sent"), "QMP >> {Json}");

    private static readonly Action<ILogger, string, Exception?> ReceivedMessage =
        LoggerMessage.Define<string>(LogLevel.Trace, new EventId(VirtLogEvents.Qmp.Received, "Received"), "QMP << {Json}");

    private static readonly Action<ILogger, long, Exception?> LateReplyMessage =
        LoggerMessage.Define<long>(LogLevel.Debug, new EventId(VirtLogEvents.Qmp.LateReply, "LateReply"), "QMP reply {Id} arrived after its caller gave up; dropped");

    private static readonly Action<ILogger, string, Exception?> HandlerFailedMessage =
        LoggerMessage.Define<string>(LogLevel.Error, new EventId(VirtLogEvents.Qmp.HandlerFailed, "HandlerFailed"), "QMP event handler for {Event} threw");

    private static readonly Action<ILogger, string, int, string, Exception?> EarlyEventTrimmedMessage =
        LoggerMessage.Define<string, int, string>(LogLevel.Debug, new EventId(VirtLogEvents.Qmp.EarlyEventTrimmed, "EarlyEventTrimmed"), "QMP early event {Event} ({Bytes} bytes) is past the early-event budget: {Kept}");

    public static void EarlyEventTrimmed(ILogger logger, string name, int bytes, bool keptName) =>
        EarlyEventTrimmedMessage(logger, name, bytes, keptName ? "kept without its data" : "not kept", null);

    public static void StateChanged(ILogger logger, string socket, QmpState from, QmpState to) => StateChangedMessage(logger, socket, from, to, null);

    public static void Broken(ILogger logger, string socket, string reason, Exception? e) => BrokenMessage(logger, socket, reason, e);

    public static void Sent(ILogger logger, ReadOnlySpan<byte> json)
    {
        if (logger.IsEnabled(LogLevel.Trace))
        {
            SentMessage(logger, System.Text.Encoding.UTF8.GetString(json).TrimEnd(), null);
        }
    }

    public static void Received(ILogger logger, ReadOnlySpan<byte> json)
    {
        if (logger.IsEnabled(LogLevel.Trace))
        {
            ReceivedMessage(logger, System.Text.Encoding.UTF8.GetString(json), null);
        }
    }

    public static void LateReply(ILogger logger, long id) => LateReplyMessage(logger, id, null);

    public static void HandlerFailed(ILogger logger, string name, Exception e) => HandlerFailedMessage(logger, name, e);
}
