using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Virt.Drivers;

namespace Virt;

/// <summary>Options for <see cref="VirtConnection.Open(string?, VirtConnectionOptions?)"/>.</summary>
public sealed class VirtConnectionOptions
{
    /// <summary>Where log events go. Defaults to <see cref="NullLoggerFactory.Instance"/>.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The drivers to choose from. Defaults to <see cref="VirtDriverRegistry.Default"/>.</summary>
    public VirtDriverRegistry? Registry { get; init; }
}
