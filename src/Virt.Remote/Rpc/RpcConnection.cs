using Microsoft.Extensions.Logging;

namespace Virt.Remote.Rpc;

/// <summary>
/// One connection to a libvirt daemon: a byte stream from a transport, one reader thread that reads every
/// message and completes the pending call with the same serial, and callers that block with a timeout. The
/// reader never runs caller code: messages (events) go to a dispatcher task. Every failure goes through
/// <see cref="Break"/>, which fails all pending calls with the reason and keeps it, so that later calls fail at
/// once with it. Thread-safe.
/// </summary>
internal sealed partial class RpcConnection : IDisposable
{
    private readonly Stream _stream;
    private readonly RpcConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<uint, PendingCall> _pending = [];
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Thread _reader;
    private VirtException? _broken;
    private ConnectionCloseReason _closeReason;
    private uint _serial;

    public RpcConnection(Stream stream, RpcConnectionOptions options, ILogger logger)
    {
        _stream = stream;
        _options = options;
        if (stream is System.Net.Sockets.NetworkStream { CanTimeout: true } socket)
        {
            socket.WriteTimeout = (int)Math.Min(int.MaxValue, options.CallTimeout.TotalMilliseconds);
            _socket = socket.Socket;
        }

        _logger = logger;
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "Virt.Remote reader" };
        _reader.Start();
    }

    /// <summary>Raised on a dispatcher thread (never the reader) for every MESSAGE frame other than keepalive.</summary>
    public event Action<RpcInbound>? MessageReceived;

    /// <summary>Raised once, on a thread pool thread, when the connection breaks or is closed, with the reason.</summary>
    public event Action<VirtException>? Closed;

    /// <summary>Whether the connection still works.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_lock)
            {
                return _broken is null;
            }
        }
    }

    /// <summary>Why the connection broke, or null while it works.</summary>
    public VirtException? BrokenReason
    {
        get
        {
            lock (_lock)
            {
                return _broken;
            }
        }
    }

    /// <summary>Why the connection closed (libvirt's close callback reason); meaningful once <see cref="IsOpen"/> is false.</summary>
    public ConnectionCloseReason CloseReason
    {
        get
        {
            lock (_lock)
            {
                return _closeReason;
            }
        }
    }

    /// <summary>The number of calls waiting for a reply.</summary>
    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>
    /// Breaks the connection: keeps the first reason, fails every pending call with it, closes the stream. Later
    /// calls fail at once with the same reason.
    /// </summary>
    public void Break(VirtException reason, ConnectionCloseReason kind = ConnectionCloseReason.Error)
    {
        PendingCall[] failed;
        lock (_lock)
        {
            if (_broken is not null)
            {
                return;
            }

            _broken = reason;
            _closeReason = kind;
            failed = [.. _pending.Values];
            _pending.Clear();
        }

        RemoteLog.Broken(_logger, reason.Message);
        foreach (var call in failed)
        {
            call.Fail(reason);
        }

        _stopped.Set();
        try
        {
            // Wakes a reader blocked in poll on the socket, which closing alone does not.
            _socket?.Shutdown(System.Net.Sockets.SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
        }

        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
        }

        _ = Task.Run(() => Closed?.Invoke(reason));
    }

    /// <summary>Closes the connection; pending and later calls fail with "client socket is closed".</summary>
    public void Dispose()
    {
        Break(new VirtException(VirtErrorCode.InternalError, "client socket is closed"), ConnectionCloseReason.Client);
        StopKeepAlive();
        if (Thread.CurrentThread != _reader)
        {
            _reader.Join(TimeSpan.FromSeconds(5));
        }

    }
}
