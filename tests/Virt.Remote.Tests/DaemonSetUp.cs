using Virt.Remote.Tests.Daemon;

namespace Virt.Remote.Tests;

/// <summary>Stops the throwaway libvirtd after every test of the assembly has run.</summary>
[SetUpFixture]
public sealed class DaemonSetUp
{
    [OneTimeTearDown]
    public void StopDaemon() => ThrowawayLibvirtd.StopShared();
}
