namespace Virt;

/// <summary>
/// The event ids of every log event Virt writes, so that callers can filter on them. Each area owns a range of a
/// thousand ids (<c>First</c> to <c>Last</c>); ids are never reused for another meaning.
/// </summary>
public static class VirtLogEvents
{
    /// <summary>Connections and the façade (category <c>Virt</c>), ids 1000–1999.</summary>
    public static class Core
    {
        /// <summary>The first id of the range.</summary>
        public const int First = 1000;

        /// <summary>The last id of the range.</summary>
        public const int Last = 1999;

        /// <summary>Debug: a connection was opened, with its URI.</summary>
        public const int ConnectionOpened = 1000;

        /// <summary>Debug: a connection was closed.</summary>
        public const int ConnectionClosed = 1001;

        /// <summary>Warning: a domain event handler threw (the exception is attached); delivery went on.</summary>
        public const int EventHandlerFailed = 1002;

        /// <summary>Warning: an <see cref="IVirtConnection.Closed"/> handler threw (the exception is attached).</summary>
        public const int CloseHandlerFailed = 1003;
    }

    /// <summary>The QMP client (category <c>Virt.Qmp</c>), ids 2000–2999.</summary>
    public static class Qmp
    {
        /// <summary>The first id of the range.</summary>
        public const int First = 2000;

        /// <summary>The last id of the range.</summary>
        public const int Last = 2999;

        /// <summary>Information: the client moved from one state to another.</summary>
        public const int StateChanged = 2000;

        /// <summary>Warning: the connection broke, with the reason.</summary>
        public const int Broken = 2001;

        /// <summary>Trace: the JSON of a message sent.</summary>
        public const int Sent = 2010;

        /// <summary>Trace: the JSON of a message received.</summary>
        public const int Received = 2011;

        /// <summary>Debug: a reply arrived after its caller gave up, and was dropped.</summary>
        public const int LateReply = 2020;

        /// <summary>Debug: an event that arrived before any handler was past the early-event budget.</summary>
        public const int EarlyEventTrimmed = 2021;

        /// <summary>Error: an event handler threw.</summary>
        public const int HandlerFailed = 2030;
    }

    /// <summary>Snapshot metadata (category <c>Virt.Snapshot</c>), ids 3000–3999.</summary>
    public static class Snapshot
    {
        /// <summary>The first id of the range.</summary>
        public const int First = 3000;

        /// <summary>The last id of the range.</summary>
        public const int Last = 3999;

        /// <summary>Warning: a metadata change was made but could not be flushed to disk.</summary>
        public const int NotDurable = 3000;
    }

    /// <summary>Disk images (reserved), ids 4000–4999.</summary>
    public static class Images
    {
        /// <summary>The first id of the range.</summary>
        public const int First = 4000;

        /// <summary>The last id of the range.</summary>
        public const int Last = 4999;
    }

    /// <summary>The QEMU driver and its processes (category <c>Virt.Qemu.Driver</c>), ids 5000–5999.</summary>
    public static class QemuDriver
    {
        /// <summary>The first id of the range.</summary>
        public const int First = 5000;

        /// <summary>The last id of the range.</summary>
        public const int Last = 5999;

        /// <summary>A scan of the running domains by the watcher failed; the next scan tries again.</summary>
        public const int WatcherFailed = 5000;

        /// <summary>A domain marked autostart could not be started when its root was first opened since the host booted.</summary>
        public const int AutostartFailed = 5001;
    }

    /// <summary>The in-memory test driver (category <c>Virt.Testing</c>), ids 6000–6999.</summary>
    public static class Testing
    {
        /// <summary>The first id of the range.</summary>
        public const int First = 6000;

        /// <summary>The last id of the range.</summary>
        public const int Last = 6999;

        /// <summary>Information: a domain changed state, with the old and new state and the reason.</summary>
        public const int DomainStateChanged = 6000;

        /// <summary>Information: a domain was defined, or its persistent definition replaced.</summary>
        public const int DomainDefined = 6001;

        /// <summary>Information: a domain was undefined.</summary>
        public const int DomainUndefined = 6002;
    }

    /// <summary>The remote driver (<c>Virt.Remote</c>): 7000–7999.</summary>
    public static class Remote
    {
        /// <summary>The first id of the range.</summary>
        public const int First = 7000;

        /// <summary>The last id of the range.</summary>
        public const int Last = 7999;

        /// <summary>The connection to the daemon broke.</summary>
        public const int Broken = 7000;

        /// <summary>A reply arrived that no pending call waits for.</summary>
        public const int UnknownSerial = 7001;

        /// <summary>A message of an unexpected program or type was ignored.</summary>
        public const int UnexpectedMessage = 7002;

        /// <summary>An event handler threw.</summary>
        public const int HandlerFailed = 7003;

        /// <summary>Connected to the daemon.</summary>
        public const int Connected = 7004;

        /// <summary>Connected to the daemon again after the connection broke; event subscriptions were registered again.</summary>
        public const int Reconnected = 7005;

        /// <summary>An attempt to connect to the daemon again failed (the exception is attached).</summary>
        public const int ReconnectFailed = 7006;
    }
}