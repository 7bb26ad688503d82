using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Virt.Benchmarks.Qemu;

/// <summary>
/// The reference QMP client of the QEMU comparisons: one socket, one line per message, replies taken in order (one
/// command in flight), events kept only to see a job conclude. What any manager must at least do; no threads.
/// </summary>
internal sealed class RawQmp : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private readonly List<JsonElement> _events = [];
    private int _start;
    private int _end;

    private RawQmp(Socket socket) => _socket = socket;

    /// <summary>Connects as soon as QEMU listens (retrying every millisecond until the deadline), reads the greeting and negotiates capabilities.</summary>
    public static RawQmp Connect(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
                var qmp = new RawQmp(socket);
                qmp.ReadMessage();
                qmp.Execute("""{"execute":"qmp_capabilities"}""");
                return qmp;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                socket.Dispose();
                Thread.Sleep(1);
            }
        }
    }

    /// <summary>Sends one command and returns its "return" value; an "error" reply throws.</summary>
    public JsonElement Execute(string command)
    {
        _socket.Send(Encoding.UTF8.GetBytes(command + "\n"));
        return ReadReply(command);
    }

    private JsonElement ReadReply(string command)
    {
        while (true)
        {
            var message = ReadMessage();
            if (message.TryGetProperty("return", out var value))
            {
                return value;
            }

            if (message.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"QMP {command}: {error}");
            }

            _events.Add(message);
        }
    }

    /// <summary>
    /// Runs a manual-dismiss job command (snapshot-save/-load/-delete) as QEMU-FACTS section 1 describes: the command,
    /// its JOB_STATUS_CHANGE "concluded", query-jobs for its error, job-dismiss.
    /// </summary>
    public void RunJob(string jobId, string command)
    {
        _events.Clear();
        Execute(command);
        while (!_events.Any(e => IsConcluded(e, jobId)))
        {
            _events.Add(ReadMessage());
        }

        foreach (var job in Execute("""{"execute":"query-jobs"}""").EnumerateArray())
        {
            if (job.GetProperty("id").GetString() == jobId && job.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"job {jobId}: {error.GetString()}");
            }
        }

        Execute($$$"""{"execute":"job-dismiss","arguments":{"id":"{{{jobId}}}"}}""");
    }

    /// <summary>Sends one command with <paramref name="fd"/> as SCM_RIGHTS data in the same sendmsg (what getfd needs), and
    /// returns its "return" value.</summary>
    public JsonElement ExecuteWithFd(string command, System.Runtime.InteropServices.SafeHandle fd)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(command + "\n");
        int sent = Virt.Qemu.Qmp.QmpFdPassing.Send(_socket, bytes, fd, TimeSpan.FromSeconds(30));
        if (sent < bytes.Length)
        {
            _socket.Send(bytes.AsSpan(sent));
        }

        return ReadReply(command);
    }

    /// <summary>Reads messages until an event named <paramref name="name"/> whose data "status" is one of <paramref name="statuses"/>
    /// (events already read by an earlier command count); returns that status.</summary>
    public string WaitForStatusEvent(string name, params string[] statuses)
    {
        while (true)
        {
            foreach (var e in _events)
            {
                if (e.TryGetProperty("event", out var n) && n.GetString() == name
                    && e.GetProperty("data").GetProperty("status").GetString() is { } status && statuses.Contains(status))
                {
                    _events.Clear();
                    return status;
                }
            }

            _events.Clear();
            _events.Add(ReadMessage());
        }
    }

    private static bool IsConcluded(JsonElement message, string jobId) =>
        message.TryGetProperty("event", out var name) && name.GetString() == "JOB_STATUS_CHANGE"
        && message.GetProperty("data").GetProperty("id").GetString() == jobId
        && message.GetProperty("data").GetProperty("status").GetString() == "concluded";

    private JsonElement ReadMessage()
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var message = JsonDocument.Parse(_buffer.AsMemory(_start, newline)).RootElement.Clone();
                _start += newline + 1;
                return message;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            int read = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
            if (read == 0)
            {
                throw new IOException("QEMU closed the monitor");
            }

            _end += read;
        }
    }

    public void Dispose() => _socket.Dispose();
}
