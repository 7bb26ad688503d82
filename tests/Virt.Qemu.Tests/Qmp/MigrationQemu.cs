using System.Diagnostics;
using System.Security.Cryptography;
using Virt.Qemu.Qmp;
using Virt.Qemu.Tests.Driver;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>
/// A QEMU running the tiny test guest (TCG, 64 MiB, no disk), its monitor connected, for the migration tests: the
/// same command line on both sides of a migration, the destination with <c>-incoming defer</c>. Dispose kills QEMU and
/// deletes its folder.
/// </summary>
internal sealed class MigrationQemu : IDisposable
{
    public const long RamBytes = 64L * 1024 * 1024;

    private readonly Process _process;

    private MigrationQemu(string folder, Process process, QmpClient monitor)
    {
        Folder = folder;
        _process = process;
        Monitor = monitor;
    }

    public string Folder { get; }

    public QmpClient Monitor { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts QEMU with vCPUs stopped (<c>-S</c>); <paramref name="incoming"/> adds <c>-incoming defer</c>.</summary>
    public static MigrationQemu Start(bool incoming = false)
    {
        string guest = TestGuest.Folder();
        string folder = Directory.CreateTempSubdirectory("virt-mig-").FullName;
        var start = new ProcessStartInfo("qemu-system-x86_64") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        string socket = Path.Combine(folder, "qmp.sock");
        foreach (string arg in new[]
        {
            "-machine", "q35,accel=tcg", "-S", "-display", "none", "-nodefaults", "-m", "64",
            "-qmp", "unix:" + socket + ",server=on,wait=off",
            "-kernel", Path.Combine(guest, "vmlinuz"), "-initrd", Path.Combine(guest, "initramfs.cpio.gz"),
            "-append", "console=ttyS0 quiet",
        })
        {
            start.ArgumentList.Add(arg);
        }

        if (incoming)
        {
            start.ArgumentList.Add("-incoming");
            start.ArgumentList.Add("defer");
        }

        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (!File.Exists(socket))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException("QEMU created no QMP socket");
                }

                Thread.Sleep(20);
            }

            return new MigrationQemu(folder, process, QmpClient.Connect(socket));
        }
        catch
        {
            process.Kill();
            process.WaitForExit();
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>Starts a source QEMU and lets the guest run until its RAM differs from all zeros, then pauses it.</summary>
    public static MigrationQemu StartBootedAndPaused()
    {
        var qemu = Start();
        qemu.Monitor.Cont();
        Thread.Sleep(1500);
        qemu.Monitor.Stop();
        return qemu;
    }

    /// <summary>SHA-256 of the guest's whole RAM (pmemsave); the guest must not run.</summary>
    public string RamHash()
    {
        string file = Path.Combine(Folder, "ram-" + Guid.NewGuid().ToString("N"));
        try
        {
            Monitor.Pmemsave(0, RamBytes, file);
            using var stream = File.OpenRead(file);
            Assert.That(stream.Length, Is.EqualTo(RamBytes));
            return Convert.ToHexString(SHA256.HashData(stream));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The targets of QEMU's open descriptors (<c>/proc/PID/fd</c>).</summary>
    public IReadOnlyList<string> OpenFiles() =>
        [.. Directory.GetFiles($"/proc/{Pid}/fd").Select(link => new FileInfo(link).LinkTarget ?? string.Empty)];

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public void Dispose()
    {
        Monitor.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already reaped.
        }

        _process.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
