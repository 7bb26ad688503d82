namespace Virt.Snapshot.Tests;

/// <summary>Entry point used only when the crash tests start this assembly as a child process.</summary>
internal static class Program
{
    public static int Main() => CrashScenario.RunAsChild();
}
