using Microsoft.Extensions.Logging;

namespace Virt.Qemu.Qmp;

/// <summary>The QMP client's log events (category <c>Virt.Qmp</c>, event ids <see cref="VirtLogEvents.Qmp"/>).</summary>
internal static class QmpLog
{
    public const string Category = "Virt.Qmp";

    private static readonly Action<ILogger, string, QmpState, QmpState, Exception?> s_stateChanged =
        LoggerMessage.Define<string, QmpState, QmpState>(LogLevel.Information, new EventId(VirtLogEvents.Qmp.StateChanged, "StateChanged"), "QMP {Socket}: {From} -> {To}");

    private static readonly Action<ILogger, string, string, Exception?> s_broken =
        LoggerMessage.Define<string, string>(LogLevel.Warning, new EventId(VirtLogEvents.Qmp.Broken, "Broken"), "QMP {Socket} broken: {Reason}");

    private static readonly Action<ILogger, string, Exception?> s_sent =
        LoggerMessage.Define<string>(LogLevel.Trace, new EventId(VirtLogEvents.Qmp.Sent, "Sent"), "QMP >> {Json}");

    private static readonly Action<ILogger, string, Exception?> s_received =
        LoggerMessage.Define<string>(LogLevel.Trace, new EventId(VirtLogEvents.Qmp.Received, "Received"), "QMP << {Json}");

    private static readonly Action<ILogger, long, Exception?> s_lateReply =
        LoggerMessage.Define<long>(LogLevel.Debug, new EventId(VirtLogEvents.Qmp.LateReply, "LateReply"), "QMP reply {Id} arrived after its caller gave up; dropped");

    private static readonly Action<ILogger, string, Exception?> s_handlerFailed =
        LoggerMessage.Define<string>(LogLevel.Error, new EventId(VirtLogEvents.Qmp.HandlerFailed, "HandlerFailed"), "QMP event handler for {Event} threw");

    private static readonly Action<ILogger, string, int, string, Exception?> s_earlyEventTrimmed =
        LoggerMessage.Define<string, int, string>(LogLevel.Debug, new EventId(VirtLogEvents.Qmp.EarlyEventTrimmed, "EarlyEventTrimmed"), "QMP early event {Event} ({Bytes} bytes) is past the early-event budget: {Kept}");

    public static void EarlyEventTrimmed(ILogger logger, string name, int bytes, bool keptName) =>
        s_earlyEventTrimmed(logger, name, bytes, keptName ? "kept without its data" : "not kept", null);

    public static void StateChanged(ILogger logger, string socket, QmpState from, QmpState to) => s_stateChanged(logger, socket, from, to, null);

    public static void Broken(ILogger logger, string socket, string reason, Exception? e) => s_broken(logger, socket, reason, e);

    public static void Sent(ILogger logger, ReadOnlySpan<byte> json)
    {
        if (logger.IsEnabled(LogLevel.Trace))
        {
            s_sent(logger, System.Text.Encoding.UTF8.GetString(json).TrimEnd(), null);
        }
    }

    public static void Received(ILogger logger, ReadOnlySpan<byte> json)
    {
        if (logger.IsEnabled(LogLevel.Trace))
        {
            s_received(logger, System.Text.Encoding.UTF8.GetString(json), null);
        }
    }

    public static void LateReply(ILogger logger, long id) => s_lateReply(logger, id, null);

    public static void HandlerFailed(ILogger logger, string name, Exception e) => s_handlerFailed(logger, name, e);
}
