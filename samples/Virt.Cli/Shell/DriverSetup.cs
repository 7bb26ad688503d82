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

            Virt.Testing.TestDriver.Register();
            Virt.Qemu.Driver.QemuDriver.Register();
            Virt.Remote.RemoteDriver.Register();
        }
    }
}
