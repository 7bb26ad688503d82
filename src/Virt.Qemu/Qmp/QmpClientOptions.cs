using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Virt.Qemu.Qmp;

/// <summary>How a QMP connection behaves.</summary>
internal sealed record QmpClientOptions
{
    /// <summary>How long to wait for the socket and QEMU's greeting and negotiation.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether to enable out-of-band execution when QEMU offers it.</summary>
    public bool EnableOutOfBand { get; init; } = true;

    /// <summary>How long a blocked write to the socket may take before the connection is declared broken.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest line accepted from QEMU.</summary>
    public int MaxLineBytes { get; init; } = QmpLineReader.MaxLineBytes;

    /// <summary>
    /// The most event JSON (bytes as received) waiting for handlers, and in each event queue. Past it
    /// handlers' backlog breaks the connection, and a queue fails (its subscription ends).
    /// </summary>
    public long MaxQueuedEventBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>The most event JSON kept in <see cref="QmpConnection.EarlyEvents"/> with its data; later early events keep only name and time.</summary>
    public long MaxEarlyEventBytes { get; init; } = 1024 * 1024;

    /// <summary>How many timed-out calls' ids are kept to drop their late replies; older ones are taken for late replies by id range.</summary>
    public int MaxAbandonedCalls { get; init; } = 4096;

    /// <summary>Where logs go.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}
