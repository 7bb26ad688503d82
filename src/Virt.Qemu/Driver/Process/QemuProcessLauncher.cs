using System.Diagnostics;
using System.Globalization;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Driver.Process;

/// <summary>
/// Starts QEMU from a <see cref="QemuCommand"/> and connects its monitor. QEMU daemonizes (<c>-daemonize</c>): the
/// process started here exits once QEMU is set up, with QEMU's own error on its stderr when set-up failed, and the
/// QEMU left running is in a session of its own, so neither Ctrl-C in a terminal nor the end of the calling process
/// stops it. Anything that fails after QEMU started kills it: a failed launch leaves no process behind.
/// </summary>
internal static class QemuProcessLauncher
{
    private const int MaxErrorChars = 4096;

    /// <summary>Starts QEMU and connects to its QMP socket.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InternalError"/> with QEMU's message when QEMU refused to start;
    /// <see cref="VirtErrorCode.OperationTimeout"/> when it did not get ready within <paramref name="timeout"/>;
    /// <see cref="VirtErrorCode.OperationAborted"/> when cancelled.</exception>
    public static QemuLaunch Launch(QemuCommand command, QemuRuntimePaths paths, TimeSpan timeout, QmpClientOptions? monitorOptions = null,
        CancellationToken cancellationToken = default, Action<string>? step = null)
    {
        File.Delete(paths.QmpSocket);
        if (paths.EventSocket is not null)
        {
            File.Delete(paths.EventSocket);
        }

        File.Delete(paths.PidFile);
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        ProcessIdentity? qemu = null;
        try
        {
            RunUntilDaemonized(command, deadline, cancellationToken);
            step?.Invoke("launch:daemonized");
            qemu = ProcessIdentity.FromPidFile(paths.PidFile)
                ?? throw new VirtException(VirtErrorCode.InternalError, "process exited while connecting to monitor: QEMU is not running after start-up");
            var options = (monitorOptions ?? new QmpClientOptions()) with { ConnectTimeout = Remaining(deadline) };
            var monitor = QmpClient.Connect(paths.QmpSocket, options);
            step?.Invoke("launch:connected");
            return new QemuLaunch(qemu.Value, monitor);
        }
        catch
        {
            qemu ??= ProcessIdentity.FromPidFile(paths.PidFile);
            if (qemu is { } started)
            {
                ProcessSignals.Send(started, ProcessSignals.Kill);
                started.WaitForExit(TimeSpan.FromSeconds(5));
            }

            File.Delete(paths.QmpSocket);
            File.Delete(paths.PidFile);
            throw;
        }
    }

    private static void RunUntilDaemonized(QemuCommand command, long deadline, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command.Emulator)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["LC_ALL"] = "C";
        foreach (string argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = StartProcess(start, command.Emulator);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        using (cancellationToken.Register(() => KillQuietly(process)))
        {
            if (!process.WaitForExit(Remaining(deadline)))
            {
                KillQuietly(process);
                throw new VirtException(VirtErrorCode.OperationTimeout, "QEMU did not finish starting in time");
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
        {
            string text = (stderr.Result + stdout.Result).Trim();
            if (text.Length > MaxErrorChars)
            {
                text = text[..MaxErrorChars] + string.Create(CultureInfo.InvariantCulture, $"... ({text.Length} characters)");
            }

            throw new VirtException(VirtErrorCode.InternalError, "process exited while connecting to monitor: " + text);
        }
    }

    private static System.Diagnostics.Process StartProcess(ProcessStartInfo start, string emulator)
    {
        try
        {
            return System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new VirtException(VirtErrorCode.InternalError, $"Failed to start QEMU binary {emulator}: {e.Message}", e);
        }
    }

    private static void KillQuietly(System.Diagnostics.Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // it has exited meanwhile
        }
    }

    private static TimeSpan Remaining(long deadline) => TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64));
}
