using System.Globalization;

namespace Virt.Qemu.Qmp;

/// <summary>The message texts of descriptor passing and migration to and from a file (beside <see cref="QmpMessages"/>).</summary>
internal static class QmpMigrationMessages
{
    public static string Failed(string direction, string? error) =>
        "QEMU's migration " + direction + " failed" + (string.IsNullOrEmpty(error) ? string.Empty : ": " + QmpMessages.Quoted(error));

    public static string Cancelled(string direction) => "QEMU's migration " + direction + " was cancelled";

    public static string TimedOut(string direction, TimeSpan limit) =>
        string.Create(CultureInfo.InvariantCulture, $"QEMU's migration {direction} did not finish within {limit.TotalSeconds:0.###} s and was cancelled");

    public static string IgnoredCancel(string direction, TimeSpan grace) =>
        string.Create(CultureInfo.InvariantCulture, $"QEMU's migration {direction} did not stop within {grace.TotalSeconds:0.###} s after migrate_cancel; it may still be running");

    public static string IncomingAbandoned(string why) =>
        "loading QEMU's migration stream was " + why + "; QEMU cannot stop an incoming migration, so it must be ended";

    public static string IncomingExited(string reason) =>
        "QEMU ended while loading the migration stream (QEMU 7.2 exits when an incoming migration fails; its own error is in its log): " + reason;

    public static string UnexpectedStatus(string direction, string status) =>
        "QEMU's migration " + direction + " ended in the unexpected state '" + status + "'";
}
