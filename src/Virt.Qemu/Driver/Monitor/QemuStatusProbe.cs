using System.Net.Sockets;
using System.Text.Json;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Driver.Monitor;

/// <summary>
/// QEMU's run state in one exchange on the calling thread: connect, send <c>qmp_capabilities</c> and <c>query-status</c>
/// in one write (QEMU runs a client's commands in order), read the greeting and the two replies, close. A state query
/// needs nothing more, so it pays neither a reader thread nor a thread hand-off per reply, as <see cref="QmpClient"/>
/// does. Call under the domain's job: QEMU serves one monitor client at a time.
/// </summary>
internal static class QemuStatusProbe
{
    /// <summary>The most a probe reads before it gives up (the three lines it waits for are far shorter; events may come between).</summary>
    private const int MaxBytes = 256 * 1024;

    private static ReadOnlySpan<byte> Request => "{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"query-status\"}\n"u8;

    /// <summary>QEMU's <c>query-status</c>, or null when the monitor cannot be reached, does not answer within
    /// <paramref name="timeout"/>, or answers with an error or something else than QMP.</summary>
    public static StatusInfo? TryQuery(string socketPath, TimeSpan timeout)
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.SendTimeout = socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            socket.Send(Request);
            return ReadStatus(socket);
        }
        catch (Exception e) when (e is SocketException or IOException or JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static StatusInfo? ReadStatus(Socket socket)
    {
        var buffer = new byte[4096];
        int length = 0;
        int scanned = 0;
        int replies = 0;
        while (true)
        {
            int end = Array.IndexOf(buffer, (byte)'\n', scanned, length - scanned);
            if (end < 0)
            {
                scanned = length;
                if (length == buffer.Length)
                {
                    if (buffer.Length >= MaxBytes)
                    {
                        return null;
                    }

                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                int read = socket.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
                if (read == 0)
                {
                    return null;
                }

                length += read;
                continue;
            }

            using (var line = JsonDocument.Parse(buffer.AsMemory(0, end)))
            {
                var root = line.RootElement;
                if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("error"u8, out _))
                {
                    return null;
                }

                if (root.TryGetProperty("return"u8, out var value) && ++replies == 2)
                {
                    return value.Deserialize(QmpJsonContext.Default.StatusInfo);
                }
            }

            // Keep what follows the line; the greeting, events and the capabilities reply are skipped.
            Array.Copy(buffer, end + 1, buffer, 0, length - end - 1);
            length -= end + 1;
            scanned = 0;
        }
    }
}
