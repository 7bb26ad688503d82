using Virt.Drivers;

namespace Virt.Testing;

/// <summary>Opens connections to the in-memory test host for <c>test:///default</c>.</summary>
public sealed class TestDriverFactory : VirtDriverFactory
{
    /// <inheritdoc/>
    public override string Scheme => "test";

    /// <inheritdoc/>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoConnect"/> for any path other than <c>/default</c>.</exception>
    public override VirtDriver Open(VirtUri uri, VirtConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(options);
        if (uri.Path != "/default" || uri.Host.Length != 0)
        {
            throw new VirtException(VirtErrorCode.NoConnect,
                $"for {uri.Original}: the test driver only provides {TestDriver.DefaultUri}");
        }

        return new TestDomainDriver(TestHost.AcquireDefault(), options.LoggerFactory);
    }
}
