using System.Diagnostics;
using System.Text.Json;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>
/// A backing chain b &lt;- m &lt;- t made by qemu-img (b holds 0x11 in its first MiB, m 0x22 in its second, t 0x33 in
/// its third; each written with qemu-io before QEMU starts) and a paused QEMU whose disk is t, added by name as node
/// <c>t</c> (m and b are opened from the headers, under names QEMU chooses). Dispose kills QEMU and deletes the folder.
/// </summary>
internal sealed class BlockJobChain : IDisposable
{
    private readonly Process _qemu;

    private BlockJobChain(string folder, Process qemu, QmpClient client)
    {
        Folder = folder;
        _qemu = qemu;
        Client = client;
    }

    public string Folder { get; }

    public QmpClient Client { get; }

    public string Base => Path.Combine(Folder, "b.qcow2");

    public string Middle => Path.Combine(Folder, "m.qcow2");

    public string Top => Path.Combine(Folder, "t.qcow2");

    /// <summary>Makes the chain and starts QEMU on it; <paramref name="middleData"/> MiB of 0x22 go into m from its second MiB.</summary>
    public static BlockJobChain Start(int middleData = 1)
    {
        string folder = Directory.CreateTempSubdirectory("virt-blockjob-").FullName;
        try
        {
            string b = Path.Combine(folder, "b.qcow2"), m = Path.Combine(folder, "m.qcow2"), t = Path.Combine(folder, "t.qcow2");
            QemuProcess.Run("qemu-img", "create", "-q", "-f", "qcow2", b, "64M");
            QemuProcess.Run("qemu-img", "create", "-q", "-f", "qcow2", "-b", b, "-F", "qcow2", m);
            QemuProcess.Run("qemu-img", "create", "-q", "-f", "qcow2", "-b", m, "-F", "qcow2", t);
            QemuProcess.Run("qemu-io", "-f", "qcow2", "-c", "write -P 0x11 0 1M", b);
            QemuProcess.Run("qemu-io", "-f", "qcow2", "-c", $"write -P 0x22 1M {middleData}M", m);
            QemuProcess.Run("qemu-io", "-f", "qcow2", "-c", "write -P 0x33 2M 1M", t);
            string socket = Path.Combine(folder, "qmp.sock");
            var start = new ProcessStartInfo("qemu-system-x86_64") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string arg in new[]
            {
                "-machine", "pc,accel=tcg", "-S", "-display", "none", "-nodefaults", "-m", "16",
                "-qmp", "unix:" + socket + ",server=on,wait=off",
                "-blockdev", JsonSerializer.Serialize(new Dictionary<string, string> { ["driver"] = "file", ["filename"] = t, ["node-name"] = "t-file" }),
                "-blockdev", "{\"driver\":\"qcow2\",\"file\":\"t-file\",\"node-name\":\"t\"}",
                "-device", "virtio-blk-pci,drive=t,id=vd0",
            })
            {
                start.ArgumentList.Add(arg);
            }

            var qemu = Process.Start(start)!;
            qemu.OutputDataReceived += (_, _) => { };
            qemu.ErrorDataReceived += (_, _) => { };
            qemu.BeginOutputReadLine();
            qemu.BeginErrorReadLine();
            var deadline = Stopwatch.StartNew();
            while (!File.Exists(socket))
            {
                if (qemu.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(20))
                {
                    qemu.Kill();
                    throw new InvalidOperationException("QEMU did not create its QMP socket");
                }

                Thread.Sleep(20);
            }

            return new BlockJobChain(folder, qemu, QmpClient.Connect(socket));
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>The node name QEMU gave the format node of <paramref name="file"/>.</summary>
    public string NodeOf(string file) =>
        Client.QueryNamedBlockNodes().Single(n => n.File == file && n.Drv == "qcow2").NodeName!;

    /// <summary>The file the disk device is attached to now.</summary>
    public string DeviceFile() => Client.QueryBlock().Single().Inserted!.File;

    /// <summary>Ends QEMU with <c>quit</c> (it flushes its caches first) so the images can be read offline.</summary>
    public void Stop()
    {
        if (!_qemu.HasExited)
        {
            Client.Quit();
            _qemu.WaitForExit();
        }
    }

    /// <summary>Kills QEMU (SIGKILL): what it had not flushed is lost.</summary>
    public void Kill()
    {
        if (!_qemu.HasExited)
        {
            _qemu.Kill();
            _qemu.WaitForExit();
        }
    }

    /// <summary>Whether qemu-io reads <paramref name="pattern"/> at <paramref name="offsetMiB"/> (1 MiB) through <paramref name="image"/>'s chain.</summary>
    public static bool Reads(string image, byte pattern, int offsetMiB)
    {
        var start = new ProcessStartInfo("qemu-io") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "-r", "-U", "-f", "qcow2", "-c", $"read -P 0x{pattern:x2} {offsetMiB}M 1M", image })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd() + stderr.Result;
        process.WaitForExit();
        Assert.That(output, Does.Contain("read 1048576/1048576").Or.Contain("Pattern verification failed"), output);
        return !output.Contains("Pattern verification failed", StringComparison.Ordinal);
    }

    /// <summary>The backing file <paramref name="image"/>'s header names, or null.</summary>
    public static string? BackingOf(string image) => Virt.Qemu.Images.QemuImage.GetInfo(image).BackingFilename;

    public void Dispose()
    {
        Client.Dispose();
        Kill();
        _qemu.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
