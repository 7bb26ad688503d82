using System.Diagnostics;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>
/// A throwaway QEMU for tests: paused (-S), no display, 64 MB, a fresh qcow2 disk attached as
/// blockdev nodes file0/disk0, QMP on a UNIX socket in a private temp folder. Dispose kills QEMU
/// and deletes the folder, also after a failed test.
/// </summary>
internal sealed class QemuProcess : IDisposable
{
    private readonly Process _process;

    private QemuProcess(string folder, Process process)
    {
        Folder = folder;
        _process = process;
    }

    public string Folder { get; }

    public string SocketPath => Path.Combine(Folder, "qmp.sock");

    public string DiskPath => Path.Combine(Folder, "disk.qcow2");

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static QemuProcess Start()
    {
        string folder = Directory.CreateTempSubdirectory("virt-qmp-").FullName;
        try
        {
            Run("qemu-img", "create", "-q", "-f", "qcow2", Path.Combine(folder, "disk.qcow2"), "16M");
            var start = new ProcessStartInfo("qemu-system-x86_64")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[]
            {
                "-machine", "q35,accel=kvm:tcg", "-S", "-display", "none", "-nodefaults", "-m", "64",
                "-qmp", "unix:" + Path.Combine(folder, "qmp.sock") + ",server=on,wait=off",
                "-blockdev", "{\"driver\":\"file\",\"filename\":\"" + Path.Combine(folder, "disk.qcow2") + "\",\"node-name\":\"file0\"}",
                "-blockdev", "{\"driver\":\"qcow2\",\"file\":\"file0\",\"node-name\":\"disk0\"}",
                "-device", "virtio-blk-pci,drive=disk0",
            })
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start)!;
            process.ErrorDataReceived += (_, _) => { };
            process.OutputDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var qemu = new QemuProcess(folder, process);
            qemu.WaitForSocket();
            return qemu;
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>Sends a signal to QEMU (for example 9 = SIGKILL, 19 = SIGSTOP).</summary>
    public void Signal(int signal) => Run("kill", "-" + signal, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>Runs a tool and returns its standard output; fails the test when it exits non-zero.</summary>
    public static string Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            throw new TimeoutException(tool + " did not finish");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(tool + " failed: " + stderr.Result);
        }

        return stdout;
    }

    public void Dispose()
    {
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
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A late QEMU write; the temp folder is left to the OS.
        }
    }

    private void WaitForSocket()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!File.Exists(SocketPath))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("QEMU exited early with code " + _process.ExitCode);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("QEMU created no QMP socket");
            }

            Thread.Sleep(20);
        }
    }
}
