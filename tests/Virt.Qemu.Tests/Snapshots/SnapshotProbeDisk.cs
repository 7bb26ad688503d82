using System.Diagnostics;
using System.Globalization;

namespace Virt.Qemu.Tests.Snapshots;

/// <summary>
/// Known byte patterns on a VM's disks: written while QEMU runs through HMP <c>qemu-io</c> (through the guest device's
/// own block backend, so the disk needs no <c>share-rw</c>), read back offline with <c>qemu-io -r -U</c>.
/// </summary>
internal static class SnapshotProbeDisk
{
    /// <summary>The qemu-io target of a virtio disk with the given device alias (libvirt's <c>virtio-disk0</c>...).</summary>
    public static string VirtioDevice(string alias) => $"-d /machine/peripheral/{alias}/virtio-backend";

    /// <summary>The qemu-io target of a block node (<c>libvirt-1-format</c>...); its device needs <c>share-rw</c> (a shareable disk).</summary>
    public static string Node(string nodeName) => nodeName;

    /// <summary>Fills <paramref name="length"/> bytes at <paramref name="offset"/> with <paramref name="pattern"/> through the running QEMU.</summary>
    /// <remarks>HMP qemu-io prints its result on QEMU's stdout, which nobody reads; the data is checked offline instead (it is
    /// flushed, so it is there while QEMU runs).
    /// What comes back in the reply is an error about the target itself, which fails the test.</remarks>
    public static void Write(SnapshotProbeMonitor monitor, string target, byte pattern, long offset, int length)
    {
        QemuIo(monitor, target, string.Create(CultureInfo.InvariantCulture, $"write -P 0x{pattern:x2} {offset} {length}"));
        // qcow2 keeps its L2 and refcount updates in QEMU's caches until a flush: without one, an offline reader sees no data.
        QemuIo(monitor, target, "flush");
    }

    private static void QemuIo(SnapshotProbeMonitor monitor, string target, string command)
    {
        string reply = monitor.Hmp($"qemu-io {target} \"{command}\"");
        if (reply.Length != 0)
        {
            throw new InvalidOperationException($"qemu-io {target}: {reply.Trim()}");
        }
    }

    /// <summary>Reads <paramref name="length"/> bytes at <paramref name="offset"/> of an image, also one a running QEMU holds (force-share).</summary>
    public static byte[] Read(string image, long offset, int length, string format = "qcow2")
    {
        string output = RunQemuIo(image, format, string.Create(CultureInfo.InvariantCulture, $"read -v {offset} {length}"));
        var bytes = new List<byte>(length);
        foreach (string line in output.Split('\n'))
        {
            // "000001f4:  00 00 ab ab ...  ....": the address, two spaces, the hex bytes, two spaces, the text column.
            if (line.Length < 11 || line[8] != ':' || !line[..8].All(char.IsAsciiHexDigit))
            {
                continue;
            }

            string hex = line[11..];
            int text = hex.IndexOf("  ", StringComparison.Ordinal);
            foreach (string word in (text < 0 ? hex : hex[..text]).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                bytes.Add(byte.Parse(word, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }

        if (bytes.Count != length)
        {
            throw new InvalidOperationException($"qemu-io read {length} bytes of {image} but printed {bytes.Count}:\n{output}");
        }

        return [.. bytes];
    }

    /// <summary>The single byte value a region holds throughout, or null when it is mixed (a describable value for assertions).</summary>
    public static int? Fill(string image, long offset, int length, string format = "qcow2")
    {
        byte[] data = Read(image, offset, length, format);
        return data.All(b => b == data[0]) ? data[0] : null;
    }

    private static string RunQemuIo(string image, string format, string command)
    {
        var start = new ProcessStartInfo("qemu-io") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "-r", "-U", "-f", format, "-c", command, image })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || stdout.Contains("failed", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"qemu-io {command} {image} failed: {stderr.Result}{stdout}");
        }

        return stdout;
    }
}
