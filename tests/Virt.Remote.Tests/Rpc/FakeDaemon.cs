using System.Buffers.Binary;
using System.Net.Sockets;
using Virt.Remote.Rpc;
using Virt.Remote.Xdr;

namespace Virt.Remote.Tests.Rpc;

/// <summary>
/// A scripted peer on a UNIX socket in a temporary folder, for faults a real daemon will not produce. It reads
/// calls with the production framing and writes whatever bytes a test gives it; disposing it checks nothing was
/// left unread by mistake only where a test asks.
/// </summary>
internal sealed class FakeDaemon : IDisposable
{
    private readonly string _dir;
    private readonly Socket _listener;
    private Socket? _peer;

    public FakeDaemon()
    {
        _dir = Directory.CreateTempSubdirectory("virt-remote-fake-").FullName;
        SocketPath = Path.Combine(_dir, "sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(1);
    }

    public string SocketPath { get; }

    /// <summary>Connects a client <see cref="RpcConnection"/> and accepts it.</summary>
    public RpcConnection Connect(TimeSpan? callTimeout = null)
    {
        var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(SocketPath));
        _peer = _listener.Accept();
        _peer.ReceiveTimeout = 10000;
        return new RpcConnection(new NetworkStream(client, ownsSocket: true),
            new RpcConnectionOptions { CallTimeout = callTimeout ?? TimeSpan.FromSeconds(10) },
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
    }

    /// <summary>Accepts a client that connected by itself (a driver opened with <c>?socket=</c><see cref="SocketPath"/>).</summary>
    public void Accept()
    {
        _peer?.Dispose();
        _peer = _listener.Accept();
        _peer.ReceiveTimeout = 10000;
    }

    /// <summary>
    /// Answers libvirt's open sequence as a daemon with auth "none" does: AUTH_LIST, CONNECT_SUPPORTS_FEATURE (each
    /// feature from <paramref name="features"/>, else no), CONNECT_OPEN; stops after the open's reply and the
    /// feature query that follows it.
    /// </summary>
    public void ServeOpen(params int[] features)
    {
        bool opened = false;
        while (true)
        {
            var call = ReadCall(out byte[] payload);
            switch (call.Procedure)
            {
                case 66:
                    Reply(call, w =>
                    {
                        w.WriteInt32(1);
                        w.WriteInt32(0);
                    });
                    break;
                case 60:
                    int feature = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(payload);
                    Reply(call, w => w.WriteInt32(features.Contains(feature) ? 1 : 0));
                    if (opened)
                    {
                        return;
                    }

                    break;
                case 1:
                    Reply(call);
                    opened = true;
                    break;
                default:
                    throw new InvalidOperationException($"unexpected procedure {call.Procedure} while opening");
            }
        }
    }

    /// <summary>Replies as a daemon that does not know the procedure: libvirt's RPC error from virnetserverprogram.c.</summary>
    public void ReplyUnknownProcedure(RpcHeader call) => ReplyError(call, 39, 7, $"unknown procedure: {call.Procedure}");

    private Socket Peer => _peer ?? throw new InvalidOperationException("no client connected");

    /// <summary>Reads one message the client sent.</summary>
    public RpcHeader ReadCall(out byte[] payload)
    {
        byte[] word = ReadExactly(4);
        int body = RpcFrame.BodyLength(word);
        byte[] bytes = ReadExactly(body);
        var reader = new XdrReader(bytes);
        var header = RpcHeader.Read(ref reader);
        payload = bytes[RpcHeader.Size..];
        return header;
    }

    /// <summary>Replies OK to <paramref name="call"/> with the given payload.</summary>
    public void Reply(RpcHeader call, Action<XdrWriter>? payload = null, uint? serial = null) =>
        WriteRaw(RpcFrame.Encode(call with { Type = RpcMessageType.Reply, Serial = serial ?? call.Serial, Status = RpcStatus.Ok }, payload));

    /// <summary>Replies with a remote_error.</summary>
    public void ReplyError(RpcHeader call, int code, int domain, string message) =>
        WriteRaw(RpcFrame.Encode(call with { Type = RpcMessageType.Reply, Status = RpcStatus.Error }, w =>
        {
            w.WriteInt32(code);
            w.WriteInt32(domain);
            w.WriteOptionalString(message);
            w.WriteInt32(2);
            w.WriteBool(false);
            w.WriteOptionalString(null);
            w.WriteOptionalString(null);
            w.WriteOptionalString(null);
            w.WriteInt32(0);
            w.WriteInt32(0);
            w.WriteBool(false);
        }));

    public void WriteRaw(ReadOnlySpan<byte> bytes) => Peer.Send(bytes);

    public void WriteLength(uint length)
    {
        byte[] word = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, length);
        WriteRaw(word);
    }

    /// <summary>Closes the client's connection from the daemon's side.</summary>
    public void Drop()
    {
        Peer.Shutdown(SocketShutdown.Both);
        Peer.Close();
    }

    private byte[] ReadExactly(int count)
    {
        byte[] buffer = new byte[count];
        int done = 0;
        while (done < count)
        {
            int n = Peer.Receive(buffer, done, count - done, SocketFlags.None);
            if (n == 0)
            {
                throw new EndOfStreamException("the client closed the connection");
            }

            done += n;
        }

        return buffer;
    }

    public void Dispose()
    {
        _peer?.Dispose();
        _listener.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
