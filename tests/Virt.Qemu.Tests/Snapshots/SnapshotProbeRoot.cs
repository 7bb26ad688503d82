using System.Diagnostics;
using Virt.Qemu.Driver.State;

namespace Virt.Qemu.Tests.Snapshots;

/// <summary>What a test leaves in a folder: every file (to catch leaks) and a <c>qemu-img check</c> of every qcow2 image.</summary>
internal static class SnapshotProbeRoot
{
    private static readonly byte[] Qcow2Magic = [0x51, 0x46, 0x49, 0xfb];

    /// <summary>Every file under <paramref name="root"/>, as sorted paths relative to it ('/' separated).</summary>
    public static IReadOnlyList<string> Files(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)];

    /// <summary>The qcow2 images under <paramref name="root"/> (found by their magic, whatever their name).</summary>
    public static IReadOnlyList<string> Qcow2Images(string root) => [.. Files(root).Select(f => Path.Combine(root, f)).Where(IsQcow2)];

    /// <summary>Runs <c>qemu-img check -U</c> on every qcow2 image under <paramref name="root"/>; returns one line per image
    /// that is not clean (corruptions, leaks or a failure to check), so <c>Is.Empty</c> is the assertion.</summary>
    public static IReadOnlyList<string> CheckImages(string root)
    {
        var problems = new List<string>();
        foreach (string image in Qcow2Images(root))
        {
            var start = new ProcessStartInfo("qemu-img") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string arg in new[] { "check", "-U", "-f", "qcow2", image })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["LC_ALL"] = "C";
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            // 0: clean; 1: check failed; 2: corruptions; 3: leaks only. All but 0 are problems here.
            if (process.ExitCode != 0)
            {
                problems.Add($"{Path.GetRelativePath(root, image)}: exit {process.ExitCode}: {(stdout + stderr.Result).Trim()}");
            }
        }

        return problems;
    }

    /// <summary>The pid of the QEMU that runs domain <paramref name="name"/> under an embed root (a new QEMU has another).</summary>
    public static int QemuPid(string root, string name) =>
        int.Parse(File.ReadAllText(StateRoot.Embed(root).PidFile(name)).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsQcow2(string path)
    {
        var head = new byte[4];
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return stream.Read(head) == 4 && head.AsSpan().SequenceEqual(Qcow2Magic);
        }
        catch (IOException)
        {
            // a socket or a file removed meanwhile: no image
            return false;
        }
    }
}
