using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Driver.Process;

/// <summary>
/// A start's monitor when the start asks QEMU nothing but to resume: QMP on the calling thread (connect, greeting,
/// <c>qmp_capabilities</c>, then one command at a time), with no reader thread to start, hand each reply over and be
/// joined at the end, as <see cref="QmpClient"/> has. After <c>cont</c> the guest's vCPU thread takes one of the cores,
/// and every hand-over to another thread may then wait for a core (measured: 2-4 ms in some starts). Events QEMU sends
/// meanwhile are skipped.
/// </summary>
internal sealed class QemuStartMonitor : IDisposable
{
    private const int MaxLineBytes = 256 * 1024;
    private readonly Socket _socket;
    private readonly QmpLineReader _lines;

    /// <param name="socket">Connected to QEMU's QMP socket.</param>
    private QemuStartMonitor(Socket socket)
    {
        _socket = socket;
        _lines = new QmpLineReader(new NetworkStream(socket, ownsSocket: false), MaxLineBytes);
    }

    /// <summary>Connects to QEMU's QMP socket and leaves capabilities negotiation, within <paramref name="timeout"/>,
    /// retrying while the socket is missing or not yet listening (QEMU binds it a moment before it listens) and
    /// <paramref name="alive"/> says QEMU still runs.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationFailed"/> when the monitor cannot be reached or
    /// says something else than QMP; <see cref="VirtErrorCode.OperationTimeout"/> when QEMU does not answer in time.</exception>
    public static QemuStartMonitor Connect(string socketPath, TimeSpan timeout, Func<bool> alive)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var pause = 1;
        while (true)
        {
            try
            {
                return TryConnect(socketPath, TimeSpan.FromMilliseconds(Math.Max(1, deadline - Environment.TickCount64)));
            }
            catch (VirtException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.AddressNotAvailable }
                && Environment.TickCount64 + pause < deadline && alive())
            {
                Thread.Sleep(pause);
                pause = Math.Min(pause * 2, 20);
            }
        }
    }

    private static QemuStartMonitor TryConnect(string socketPath, TimeSpan timeout)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.SendTimeout = socket.ReceiveTimeout = Math.Max(1, (int)timeout.TotalMilliseconds);
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            var monitor = new QemuStartMonitor(socket);
            // QEMU reads the command once it has sent the greeting: both come in one round trip.
            monitor.Send("qmp_capabilities");
            using (var greeting = monitor.ReadLine())
            {
                if (!greeting.RootElement.TryGetProperty("QMP"u8, out _))
                {
                    throw new VirtException(VirtErrorCode.OperationFailed, "QEMU's monitor did not greet with QMP");
                }
            }

            monitor.ReadReply("qmp_capabilities");
            return monitor;
        }
        catch (Exception e) when (e is SocketException or IOException or JsonException or QmpProtocolException)
        {
            socket.Dispose();
            throw Failed(e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="command"/> (no arguments) and waits for its reply.</summary>
    /// <exception cref="QmpCommandException">QEMU answered with an error.</exception>
    /// <exception cref="VirtException">The monitor went away or did not answer in time.</exception>
    public void Execute(string command)
    {
        try
        {
            Send(command);
            ReadReply(command);
        }
        catch (Exception e) when (e is SocketException or IOException or JsonException or QmpProtocolException)
        {
            throw Failed(e);
        }
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose() => _socket.Dispose();

    private static VirtException Failed(Exception e) => (e as SocketException ?? e.InnerException as SocketException) is { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock }
        ? new VirtException(VirtErrorCode.OperationTimeout, "QEMU did not finish starting in time", e)
        : new VirtException(VirtErrorCode.OperationFailed, "QEMU's monitor went away: " + e.Message, e);

    private void Send(string command) => _socket.Send(Encoding.UTF8.GetBytes("{\"execute\":\"" + command + "\"}\n"));

    private void ReadReply(string command)
    {
        while (true)
        {
            using var line = ReadLine();
            var root = line.RootElement;
            if (root.TryGetProperty("return"u8, out _))
            {
                return;
            }

            if (root.TryGetProperty("error"u8, out var error))
            {
                throw new QmpCommandException(command, error.TryGetProperty("class"u8, out var c) ? c.GetString() ?? "" : "",
                    error.TryGetProperty("desc"u8, out var d) ? d.GetString() ?? "" : "");
            }
        }
    }

    /// <summary>The next line QEMU sent; the socket's receive timeout bounds the wait.</summary>
    private JsonDocument ReadLine() =>
        _lines.ReadLine() is { } line ? JsonDocument.Parse(line.ToArray()) : throw new IOException("QEMU closed its monitor");
}
