using System.Globalization;
using System.Text;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Driver.Process;

/// <summary>
/// Starts QEMU from a <see cref="QemuCommand"/> and connects its monitor. QEMU is spawned in a session of its own
/// (<see cref="QemuSpawn"/>), so neither Ctrl-C in a terminal nor the end of the calling process stops it; the
/// command's <c>-daemonize</c> is left out, as the new session already gives what it would, and QEMU's forks and the
/// wait for its grandchild's set-up would only slow the start. QEMU's output goes to <c>qemu.log</c> in the log folder;
/// its error when it refuses to start is read back from there. The monitor is connected as soon as QEMU has made its
/// socket: the greeting comes once QEMU is set up. Anything that fails after QEMU started kills it: a failed launch
/// leaves no process behind.
/// </summary>
internal static class QemuProcessLauncher
{
    private const int MaxErrorChars = 4096;

    /// <summary>The file in the log folder that gets QEMU's stdout and stderr.</summary>
    public const string LogFileName = "qemu.log";

    /// <summary>How long a QEMU that broke its monitor connection gets to exit, so that its own error is reported.</summary>
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(5);

    /// <summary>Starts QEMU and connects to its QMP socket.</summary>
    /// <param name="command">QEMU's command line.</param>
    /// <param name="paths">Its runtime files.</param>
    /// <param name="timeout">How long QEMU gets to answer on its monitor.</param>
    /// <param name="monitorOptions">The monitor's options.</param>
    /// <param name="cancellationToken">Ends the wait (and QEMU).</param>
    /// <param name="step">Called after each step (<c>launch:spawned</c>, <c>launch:socket</c>, <c>launch:connected</c>).</param>
    /// <param name="whileStarting">Work of the caller's that needs nothing from QEMU but its identity, run once QEMU is
    /// spawned, while it starts up (before its socket is awaited); if it throws, QEMU is ended and the exception passes on.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InternalError"/> with QEMU's message when QEMU refused to start;
    /// <see cref="VirtErrorCode.OperationTimeout"/> when it did not get ready within <paramref name="timeout"/>;
    /// <see cref="VirtErrorCode.OperationAborted"/> when cancelled.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before QEMU made its socket.</exception>
    public static QemuLaunch Launch(QemuCommand command, QemuRuntimePaths paths, TimeSpan timeout, QmpClientOptions? monitorOptions = null,
        CancellationToken cancellationToken = default, Action<string>? step = null, Action<ProcessIdentity>? whileStarting = null) =>
        Start(command, paths, timeout, cancellationToken, step, whileStarting, (qemu, deadline) =>
            new QemuLaunch(qemu, QmpClient.Connect(paths.QmpSocket, (monitorOptions ?? new QmpClientOptions()) with { ConnectTimeout = Remaining(deadline) })));

    /// <summary>As <see cref="Launch"/>, for a start that asks QEMU's monitor nothing but to resume: the monitor is a
    /// <see cref="QemuStartMonitor"/>, QMP on the calling thread.</summary>
    /// <returns>QEMU, and its monitor, which the caller owns.</returns>
    public static (ProcessIdentity Process, QemuStartMonitor Monitor) LaunchForResume(QemuCommand command, QemuRuntimePaths paths, TimeSpan timeout,
        CancellationToken cancellationToken = default, Action<string>? step = null, Action<ProcessIdentity>? whileStarting = null) =>
        Start(command, paths, timeout, cancellationToken, step, whileStarting, (qemu, deadline) => (qemu, QemuStartMonitor.Connect(paths.QmpSocket, Remaining(deadline), () => qemu.IsAlive)));

    private static T Start<T>(QemuCommand command, QemuRuntimePaths paths, TimeSpan timeout, CancellationToken cancellationToken, Action<string>? step,
        Action<ProcessIdentity>? whileStarting, Func<ProcessIdentity, long, T> connect)
    {
        File.Delete(paths.QmpSocket);
        if (paths.EventSocket is not null)
        {
            File.Delete(paths.EventSocket);
        }

        File.Delete(paths.PidFile);
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        string log = Path.Combine(paths.LogDirectory, LogFileName);
        long logStart = LengthOf(log);
        var arguments = command.Arguments.Where(a => a != "-daemonize").ToList();
        int pid = QemuSpawn.Start(command.Emulator, arguments, log, new Dictionary<string, string>(StringComparer.Ordinal) { ["LC_ALL"] = "C" });
        ProcessIdentity? qemu = ProcessIdentity.Read(pid);
        try
        {
            step?.Invoke("launch:spawned");
            if (qemu is null)
            {
                throw Exited(log, logStart);
            }

            if (whileStarting is not null)
            {
                whileStarting(qemu.Value);
                step?.Invoke("launch:while-starting");
            }

            WaitForSocket(qemu.Value, paths.QmpSocket, deadline, log, logStart, cancellationToken);
            step?.Invoke("launch:socket");
            T connected;
            try
            {
                connected = connect(qemu.Value, deadline);
            }
            catch (VirtException) when (qemu.Value.WaitForExit(ExitGrace))
            {
                throw Exited(log, logStart);
            }

            step?.Invoke("launch:connected");
            return connected;
        }
        catch
        {
            if (qemu is { } started)
            {
                ProcessSignals.Send(started, ProcessSignals.Kill);
                started.WaitForExit(TimeSpan.FromSeconds(5));
            }

            QemuSpawn.TryReap(pid);
            File.Delete(paths.QmpSocket);
            File.Delete(paths.PidFile);
            throw;
        }
    }

    /// <summary>Waits until QEMU has made its monitor socket; throws with QEMU's error when it exits first.</summary>
    private static void WaitForSocket(ProcessIdentity qemu, string socket, long deadline, string log, long logStart, CancellationToken cancellationToken)
    {
        while (!File.Exists(socket))
        {
            if (!qemu.IsAlive)
            {
                throw Exited(log, logStart);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (Environment.TickCount64 >= deadline)
            {
                throw new VirtException(VirtErrorCode.OperationTimeout, "QEMU did not finish starting in time");
            }

            Thread.Sleep(1);
        }
    }

    private static VirtException Exited(string log, long logStart)
    {
        string text = ReadFrom(log, logStart).Trim();
        if (text.Length > MaxErrorChars)
        {
            text = text[..MaxErrorChars] + string.Create(CultureInfo.InvariantCulture, $"... ({text.Length} characters)");
        }

        return new VirtException(VirtErrorCode.InternalError, "process exited while connecting to monitor: " + text);
    }

    private static long LengthOf(string file)
    {
        try
        {
            return new FileInfo(file).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string ReadFrom(string file, long offset)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static TimeSpan Remaining(long deadline) => TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64));
}
