using System.Net.Sockets;
using System.Text;

namespace Virt.Benchmarks.Qmp;

/// <summary>
/// The floor to compare against: one socket, a pre-encoded command, read up to the newline,
/// nothing parsed, no threads, no table. What any QMP client must at least spend.
/// </summary>
internal sealed class RawQmpLoop : IDisposable
{
    private static readonly byte[] QueryStatus = Encoding.UTF8.GetBytes("{\"execute\":\"query-status\",\"id\":1}\n");

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public RawQmpLoop(string path)
    {
        _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _socket.Connect(new UnixDomainSocketEndPoint(path));
        ReadLine();
        _socket.Send(Encoding.UTF8.GetBytes("{\"execute\":\"qmp_capabilities\"}\n"));
        ReadLine();
    }

    /// <summary>One query-status round trip; returns the reply's length.</summary>
    public int RoundTrip()
    {
        _socket.Send(QueryStatus);
        return ReadLine();
    }

    private int ReadLine()
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _start += newline + 1;
                if (_start == _end)
                {
                    _start = _end = 0;
                }

                return newline;
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
                throw new IOException("QEMU closed the raw monitor");
            }

            _end += read;
        }
    }

    public void Dispose() => _socket.Dispose();
}
