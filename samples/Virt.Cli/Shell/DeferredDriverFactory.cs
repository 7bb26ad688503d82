using Virt.Drivers;

namespace Virt.Cli.Shell;

/// <summary>
/// A driver factory that makes the real one on the first <see cref="Open"/>, so a command that opens no connection,
/// or one of another scheme, never loads (JIT) or initialises that driver's assembly.
/// </summary>
internal sealed class DeferredDriverFactory(string scheme, Func<VirtDriverFactory> create) : VirtDriverFactory
{
    private readonly Lazy<VirtDriverFactory> _factory = new(create);

    public override string Scheme => scheme;

    public override VirtDriver Open(VirtUri uri, VirtConnectionOptions options) => _factory.Value.Open(uri, options);
}
