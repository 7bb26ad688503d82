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

    /// <summary>Where logs go.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}
