using Microsoft.Extensions.Logging;

namespace Virt.Qemu.Driver;

/// <summary>The QEMU driver's log events (category <c>Virt.Qemu.Driver</c>, ids <see cref="VirtLogEvents.QemuDriver"/>).</summary>
internal static partial class QemuDriverLog
{
    public const string Category = "Virt.Qemu.Driver";

    [LoggerMessage(EventId = VirtLogEvents.QemuDriver.WatcherFailed, Level = LogLevel.Warning, Message = "The running domains of {Root} could not be checked; the next scan tries again")]
    public static partial void WatcherFailed(ILogger logger, string root, Exception exception);

    [LoggerMessage(EventId = VirtLogEvents.QemuDriver.AutostartFailed, Level = LogLevel.Error, Message = "Failed to autostart VM '{Domain}'")]
    public static partial void AutostartFailed(ILogger logger, string domain, Exception exception);
}
