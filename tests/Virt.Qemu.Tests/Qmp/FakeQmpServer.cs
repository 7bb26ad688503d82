using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>
/// A scripted QMP peer on a UNIX socket (libvirt's qemumonitortestutils in spirit). It accepts one
/// client and runs <c>script</c> on its own thread against a <see cref="FakeQmpPeer"/>; commands are
/// read with the production framing (<see cref="QmpLineReader"/>). A script failure (an unexpected
/// command, a command never sent) is rethrown by <see cref="Verify"/>.
/// </summary>
internal sealed class FakeQmpServer : IDisposable
{
    public const string Greeting = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, \"package\": \"fake\"}, \"capabilities\": [\"oob\"]}}";

    private readonly string _folder;
    private readonly Socket _listener;
    private readonly Thread _thread;
    private Exception? _failure;
    private Socket? _peer;

    public FakeQmpServer(Action<FakeQmpPeer> script)
    {
        _folder = Directory.CreateTempSubdirectory("virt-fakeqmp-").FullName;
        SocketPath = Path.Combine(_folder, "qmp.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(1);
        _thread = new Thread(() => Serve(script)) { IsBackground = true, Name = "fake QMP server" };
        _thread.Start();
    }

    public string SocketPath { get; }

    /// <summary>Waits for the script to end and rethrows what it failed with.</summary>
    public void Verify()
    {
        Assert.That(_thread.Join(TimeSpan.FromSeconds(20)), Is.True, "the fake QMP script did not finish");
        if (_failure is not null)
        {
            throw new AssertionException("fake QMP script failed: " + _failure.Message, _failure);
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _peer?.Dispose();
        _thread.Join(TimeSpan.FromSeconds(5));
        Directory.Delete(_folder, recursive: true);
    }

    private void Serve(Action<FakeQmpPeer> script)
    {
        try
        {
            _peer = _listener.Accept();
            using var stream = new NetworkStream(_peer, ownsSocket: false);
            script(new FakeQmpPeer(stream));
        }
#pragma warning disable CA1031 // Kept for Verify.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _failure = e;
        }
        finally
        {
            _peer?.Dispose();
        }
    }
}

/// <summary>The server end of one fake QMP conversation.</summary>
internal sealed class FakeQmpPeer(NetworkStream stream)
{
    private readonly QmpLineReader _lines = new(stream);

    public void SendRaw(byte[] bytes) => stream.Write(bytes);

    public void Send(string line) => SendRaw(Encoding.UTF8.GetBytes(line + "\r\n"));

    public void SendEvent(string name, string data = "{}") =>
        Send("{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 5}, \"event\": \"" + name + "\", \"data\": " + data + "}");

    /// <summary>Sends the greeting and answers qmp_capabilities.</summary>
    public void Handshake()
    {
        Send(FakeQmpServer.Greeting);
        var (id, _) = Expect("qmp_capabilities");
        Reply(id, "{}");
    }

    /// <summary>Reads the next command; fails unless it is <paramref name="command"/>.</summary>
    /// <returns>The command's id (raw JSON) and its arguments (raw JSON or null).</returns>
    public (string Id, string? Arguments) Expect(string command)
    {
        var line = _lines.ReadLine() ?? throw new InvalidOperationException("client closed the connection; expected " + command);
        using var doc = JsonDocument.Parse(line);
        string? name = doc.RootElement.TryGetProperty("execute", out var e) ? e.GetString() : null;
        if (name != command)
        {
            throw new InvalidOperationException("expected command " + command + ", got " + Encoding.UTF8.GetString(line.Span));
        }

        string? arguments = doc.RootElement.TryGetProperty("arguments", out var a) ? a.GetRawText() : null;
        return (doc.RootElement.GetProperty("id").GetRawText(), arguments);
    }

    /// <summary>Fails if the client sends anything more before closing.</summary>
    public void ExpectClose()
    {
        var line = _lines.ReadLine();
        if (line is not null)
        {
            throw new InvalidOperationException("unexpected command " + Encoding.UTF8.GetString(line.Value.Span));
        }
    }

    public void Reply(string id, string returnJson) => Send("{\"return\": " + returnJson + ", \"id\": " + id + "}");

    public void ReplyError(string id, string errorClass, string desc) =>
        Send("{\"id\": " + id + ", \"error\": {\"class\": \"" + errorClass + "\", \"desc\": \"" + desc + "\"}}");

    /// <summary>Serves scripted command → reply pairs in order, failing on anything else.</summary>
    public void Serve(params (string Command, string Return)[] script)
    {
        foreach (var (command, result) in script)
        {
            var (id, _) = Expect(command);
            Reply(id, result);
        }
    }
}
