namespace Virt.Cli.Shell;

/// <summary>Registers the drivers <c>virt</c> can open, once per process.</summary>
internal static class DriverSetup
{
    private static readonly Lock Gate = new();
    private static bool _done;

    /// <summary>Registers every driver this build contains; later calls do nothing.</summary>
    public static void RegisterAll()
    {
        lock (Gate)
        {
            if (_done)
            {
                return;
            }

            _done = true;

            // Each driver is made when a URI of its scheme is first opened, not at start-up (issue 14).
            var registry = Drivers.VirtDriverRegistry.Default;
            registry.Register(new DeferredDriverFactory("test", () => new Virt.Testing.TestDriverFactory()));
            registry.Register(new DeferredDriverFactory("qemu", () => new Virt.Qemu.Driver.QemuDriverFactory()));
            registry.Register(new DeferredDriverFactory(Drivers.VirtDriverRegistry.RemoteScheme, () => new Virt.Remote.RemoteDriverFactory()));
        }
    }
}
