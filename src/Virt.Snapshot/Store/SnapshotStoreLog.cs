using Microsoft.Extensions.Logging;

namespace Virt.Snapshot.Store;

/// <summary>The metadata store's log events (category <c>Virt.Snapshot</c>, event ids <see cref="VirtLogEvents.Snapshot"/>).</summary>
internal static class SnapshotStoreLog
{
    public const string Category = "Virt.Snapshot";

    private static readonly Action<ILogger, string, string, Exception?> NotDurableMessage =
        LoggerMessage.Define<string, string>(LogLevel.Warning, new EventId(VirtLogEvents.Snapshot.NotDurable, "NotDurable"),
            "snapshot metadata change made but not flushed to disk: {What}; it may be lost if the host crashes: {Reason}");

    public static void NotDurable(ILogger logger, string what, IOException error) => NotDurableMessage(logger, what, error.Message, error);
}
