using System.Diagnostics;

namespace Virt.Qemu.Tests.Driver;

/// <summary>The tiny test guest, built (or reused from the cache) by the repository's script.</summary>
internal static class TestGuest
{
    private static readonly Lazy<string> Built = new(Build);

    public static string Folder() => Built.Value;

    private static string Build()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "scripts", "build-test-guest.sh")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        Assert.That(dir, Is.Not.Null, "scripts/build-test-guest.sh not found above the test assembly");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(dir!, "scripts", "build-test-guest.sh"));
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, "building the test guest failed: " + stderr.Result);
        return stdout.TrimEnd('\n').Split('\n')[^1];
    }
}
