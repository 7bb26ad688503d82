using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Virt.Drivers;

namespace Virt;

/// <summary>Options for <see cref="VirtConnection.Open(string?, VirtConnectionOptions?)"/>.</summary>
public sealed class VirtConnectionOptions
{
    /// <summary>Where log events go, the façade's and the driver's (event ids in <see cref="VirtLogEvents"/>).
    /// Defaults to <see cref="NullLoggerFactory.Instance"/>.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The drivers to choose from. Defaults to <see cref="VirtDriverRegistry.Default"/>.</summary>
    public VirtDriverRegistry? Registry { get; init; }
}
