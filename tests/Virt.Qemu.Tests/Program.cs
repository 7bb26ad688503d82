namespace Virt.Qemu.Tests;

/// <summary>Entry point used only when the crash and concurrency tests start this assembly as a child process.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class Program
{
    public static int Main(string[] args) =>
        args is ["concurrency", .. var rest] ? Driver.QemuConcurrencyTests.RunAsChild(rest)
        : args.Length == 4 && args[1] == "snapshot" ? Snapshots.SnapshotFaultTests.RunAsChild(args)
        : args.Length == 4 && args[1] == "extdel" ? Snapshots.ExternalDelete.ExternalDeleteFaultTests.RunAsChild(args)
        : args.Length == 4 && args[1] == "external" ? Snapshots.External.ExternalFaultTests.RunAsChild(args)
        : Driver.ManagerCrashScenario.RunAsChild(args);
}
