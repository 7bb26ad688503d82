using System.Diagnostics;

namespace Virt.Benchmarks.Qmp;

/// <summary>
/// The one QEMU a benchmark process uses: paused, 64 MB, two QMP monitors (one for the client, one
/// for the raw-socket loop, since a QMP socket serves one client at a time). Killed at process exit.
/// </summary>
internal sealed class BenchQemu
{
    private static readonly Lazy<BenchQemu> LazyInstance = new(Start);

    private readonly Process _process;

    private BenchQemu(string folder, Process process)
    {
        Folder = folder;
        _process = process;
    }

    public static BenchQemu Instance => LazyInstance.Value;

    public string Folder { get; }

    public string ClientSocket => Path.Combine(Folder, "client.sock");

    public string RawSocket => Path.Combine(Folder, "raw.sock");

    private static BenchQemu Start()
    {
        string folder = Directory.CreateTempSubdirectory("virt-qmp-bench-").FullName;
        var start = new ProcessStartInfo("qemu-system-x86_64") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[]
        {
            "-machine", "q35,accel=kvm:tcg", "-S", "-display", "none", "-nodefaults", "-m", "64",
            "-qmp", "unix:" + Path.Combine(folder, "client.sock") + ",server=on,wait=off",
            "-qmp", "unix:" + Path.Combine(folder, "raw.sock") + ",server=on,wait=off",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var qemu = new BenchQemu(folder, process);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => qemu.Stop();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(qemu.ClientSocket) || !File.Exists(qemu.RawSocket))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                qemu.Stop();
                throw new InvalidOperationException("QEMU did not start");
            }

            Thread.Sleep(20);
        }

        return qemu;
    }

    private void Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temp cleanup.
        }
    }
}
