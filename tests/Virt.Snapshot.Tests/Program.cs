namespace Virt.Snapshot.Tests;

/// <summary>Entry point used only when the store tests start this assembly as a child process.</summary>
internal static class Program
{
    public static int Main() =>
        Environment.GetEnvironmentVariable(StoreOwnerChild.DirVariable) is { } dir ? StoreOwnerChild.Run(dir) : CrashScenario.RunAsChild();
}
