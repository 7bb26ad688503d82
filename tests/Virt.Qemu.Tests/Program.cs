namespace Virt.Qemu.Tests;

/// <summary>Entry point used only when the crash and concurrency tests start this assembly as a child process.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class Program
{
    public static int Main(string[] args) =>
        args is ["concurrency", .. var rest] ? Driver.QemuConcurrencyTests.RunAsChild(rest)
        : args is ["lease", ..] ? Driver.MonitorLeaseTests.RunAsChild(args)
        : args is ["events", ..] ? Driver.MonitorEventTests.RunAsChild(args)
        : args is ["redefine", ..] ? Driver.DomainListCacheTests.RunAsChild(args)
        : Snapshots.FaultInjection.IsChild(args) ? Snapshots.FaultInjection.RunAsChild(args)
        : Driver.ManagerCrashScenario.RunAsChild(args);
}
