using System.Diagnostics;

namespace Virt.Benchmarks.Qemu;

/// <summary>
/// QEMU launched by hand with the devices of <see cref="BenchDomain"/> (pc machine, TCG, the memory, one qcow2 disk as
/// -blockdev file + qcow2 nodes "f0"/"d0" under a virtio-blk device), paused (-S), one QMP socket: the floor of a
/// start. <see cref="Launch"/> returns once QMP answers qmp_capabilities.
/// </summary>
internal sealed class BareQemu : IDisposable
{
    private readonly Process _process;

    private BareQemu(Process process, RawQmp qmp)
    {
        _process = process;
        Qmp = qmp;
    }

    public RawQmp Qmp { get; }

    /// <param name="folder">Where the QMP socket goes.</param>
    /// <param name="disk">The qcow2 image.</param>
    /// <param name="memoryMiB">The guest's memory.</param>
    /// <param name="incoming">Adds <c>-incoming defer</c> (the external-snapshot revert: state loaded by migrate-incoming).</param>
    public static BareQemu Launch(string folder, string disk, int memoryMiB, bool incoming = false)
    {
        string socket = Path.Combine(folder, "bare-qmp.sock");
        File.Delete(socket);
        var start = new ProcessStartInfo("qemu-system-x86_64") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[]
        {
            "-machine", "pc,accel=tcg", "-m", memoryMiB + "M", "-no-user-config", "-nodefaults", "-display", "none", "-S",
            "-blockdev", $$"""{"driver":"file","filename":"{{disk}}","node-name":"f0"}""",
            "-blockdev", """{"driver":"qcow2","file":"f0","node-name":"d0"}""",
            "-device", """{"driver":"virtio-blk-pci","drive":"d0","id":"virtio-disk0"}""",
            "-qmp", "unix:" + socket + ",server=on,wait=off",
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
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new BareQemu(process, RawQmp.Connect(socket, TimeSpan.FromSeconds(30)));
        }
        catch
        {
            process.Kill();
            process.WaitForExit();
            process.Dispose();
            throw;
        }
    }

    /// <summary>Quits QEMU and waits for it to exit.</summary>
    public void Dispose()
    {
        try
        {
            Qmp.Execute("""{"execute":"quit"}""");
        }
        catch (IOException)
        {
            // QEMU may close the socket before its reply arrives.
        }

        Qmp.Dispose();
        if (!_process.WaitForExit(10_000))
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
