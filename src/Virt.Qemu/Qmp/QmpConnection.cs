using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Virt.Qemu.Qmp;

/// <summary>
/// The QMP protocol engine: one UNIX socket read by the caller waiting for a reply, or by one reader thread while
/// nobody waits (neither runs caller code; see QmpConnection.Turns.cs), one event
/// thread for handlers (<see cref="QmpEventDispatcher"/>), a pending table that matches replies
/// to callers by id, events raised to subscribers outside any lock, and an explicit state machine
/// (Idle → Connecting → Running → Broken, or Closed). Every failure goes through <see cref="Break"/>,
/// which fails all pending calls at once and keeps the reason for later calls. Knows QMP's framing,
/// not its command vocabulary (that is <see cref="QmpClient"/>).
/// </summary>
internal sealed partial class QmpConnection : IDisposable
{
    private readonly object _gate = new();
    private readonly QmpClientOptions _options;
    private readonly ILogger _logger;
    private readonly ManualResetEventSlim _greetingSeen = new(false);
    private readonly List<QmpEvent> _earlyEvents = [];
    private QmpState _state = QmpState.Idle;
    private string? _brokenReason;
    private Exception? _brokenCause;
    private Socket? _socket;
    private Stream? _stream;
    private Thread? _reader;
    private QmpGreeting? _greeting;
    private string _socketPath = string.Empty;

    public QmpConnection(QmpClientOptions? options = null)
    {
        _options = options ?? new QmpClientOptions();
        _logger = _options.LoggerFactory.CreateLogger(QmpLog.Category);
    }

    /// <summary>Where the connection is in its life.</summary>
    public QmpState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Why the connection broke, or <c>null</c> while it is not broken.</summary>
    public string? BrokenReason
    {
        get
        {
            lock (_gate)
            {
                return _brokenReason;
            }
        }
    }

    /// <summary>QEMU's greeting; set once <see cref="Open"/> returned.</summary>
    public QmpGreeting Greeting => _greeting ?? throw new InvalidOperationException("The QMP connection has not been opened.");

    /// <summary>Whether out-of-band execution was negotiated.</summary>
    public bool OutOfBandEnabled { get; private set; }

    /// <summary>Events that arrived before negotiation finished (before or around the greeting), in order.</summary>
    public IReadOnlyList<QmpEvent> EarlyEvents
    {
        get
        {
            lock (_gate)
            {
                return _earlyEvents.ToArray();
            }
        }
    }

    /// <summary>Connects, reads the greeting, negotiates capabilities and starts accepting commands.</summary>
    /// <exception cref="VirtException">The socket cannot be reached, QEMU sent no greeting in time
    /// (<see cref="VirtErrorCode.OperationTimeout"/>), or negotiation failed.</exception>
    public static QmpConnection Connect(string socketPath, QmpClientOptions? options = null)
    {
        var connection = new QmpConnection(options);
        try
        {
            connection.Open(socketPath);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Connects this (idle) connection; subscribe first to see every event from the start.</summary>
    /// <exception cref="VirtException">As for <see cref="Connect"/>.</exception>
    public void Open(string socketPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_state == QmpState.Closed, this);
            if (_state != QmpState.Idle)
            {
                throw new InvalidOperationException("The QMP connection was already opened.");
            }

            _socketPath = socketPath;
            SetState(QmpState.Connecting);
        }

        var started = Stopwatch.GetTimestamp();
        TimeSpan Remaining() => _options.ConnectTimeout - Stopwatch.GetElapsedTime(started);

        UnixDomainSocketEndPoint endpoint;
        try
        {
            endpoint = new UnixDomainSocketEndPoint(socketPath);
        }
        catch (ArgumentException e)
        {
            // Longer than sun_path allows (107 bytes on Linux): a state root nested too deep.
            Break(QmpMessages.ConnectFailed(socketPath, e.Message), e);
            throw new VirtException(VirtErrorCode.InvalidArg, QmpMessages.ConnectFailed(socketPath, QmpMessages.SocketPathTooLong), e);
        }

        Socket socket;
        try
        {
            socket = ConnectSocket(endpoint, Remaining);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            string message = e switch
            {
                OperationCanceledException when !File.Exists(socketPath) => QmpMessages.SocketMissing,
                OperationCanceledException => "timed out",
                SocketException { SocketErrorCode: SocketError.AddressNotAvailable } when !File.Exists(socketPath) => QmpMessages.SocketMissing,
                SocketException { SocketErrorCode: SocketError.ConnectionRefused } => QmpMessages.SocketRefused,
                _ => e.Message,
            };
            Break(QmpMessages.ConnectFailed(socketPath, message), e);
            throw new VirtException(VirtErrorCode.OperationFailed, QmpMessages.ConnectFailed(socketPath, message), e);
        }

        lock (_gate)
        {
            if (_state != QmpState.Connecting)
            {
                socket.Dispose();
                ThrowForState(_state);
            }

            _socket = socket;
            _stream = new NetworkStream(socket, ownsSocket: false);
            _lines = new QmpLineReader(_stream, _options.MaxLineBytes);
            _reader = new Thread(ReadLoop) { IsBackground = true, Name = "QMP reader " + Path.GetFileName(socketPath) };
        }

        _reader.Start();

        if (!WaitUntil(_greetingSeen, Remaining()))
        {
            string reason = QmpMessages.GreetingTimeout(socketPath, _options.ConnectTimeout);
            Break(reason, null);
            throw new VirtException(VirtErrorCode.OperationTimeout, reason);
        }

        Negotiate(Remaining());
    }

    /// <summary>
    /// Connects, retrying while the socket is missing or not yet listening (QEMU creates it a moment
    /// after it starts; libvirt retries the same way) until the connect timeout. The pause between tries starts at a
    /// millisecond and doubles up to <see cref="ConnectRetryDelay"/>: a QEMU that is about to listen (its socket made, its
    /// listen not yet) is reached at once, one that takes long is not polled for nothing.
    /// </summary>
    private static Socket ConnectSocket(UnixDomainSocketEndPoint endpoint, Func<TimeSpan> remaining)
    {
        var pause = TimeSpan.FromMilliseconds(1);
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                var left = remaining();
                using var cts = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero);
                socket.ConnectAsync(endpoint, cts.Token).AsTask().GetAwaiter().GetResult();
                return socket;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable
                && remaining() > pause)
            {
                socket.Dispose();
                Thread.Sleep(pause);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, ConnectRetryDelay.Ticks));
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    private static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromMilliseconds(20);

    private void Negotiate(TimeSpan remaining)
    {
        var greeting = _greeting;
        if (greeting is null)
        {
            ThrowForState(State);
        }

        bool oob = _options.EnableOutOfBand && greeting!.Capabilities.Contains("oob");
        try
        {
            using var reply = oob
                ? ExecuteCore("qmp_capabilities", new QmpCapabilitiesArguments(["oob"]), QmpJsonContext.Default.QmpCapabilitiesArguments, remaining, default, negotiating: true)
                : ExecuteCore("qmp_capabilities", null, null, remaining, default, negotiating: true);
        }
        catch (VirtException e) when (e is not QmpConnectionException)
        {
            Break(e.Detail, e);
            throw;
        }

        lock (_gate)
        {
            if (_state != QmpState.Connecting)
            {
                ThrowForState(_state);
            }

            OutOfBandEnabled = oob;
            SetState(QmpState.Running);
        }
    }

    /// <summary>
    /// Fails the connection for good: every pending call fails now with <paramref name="reason"/>,
    /// every later call fails at once with it, subscribers are told, the socket is closed.
    /// Does nothing when the connection is already broken or closed.
    /// </summary>
    public void Break(string reason, Exception? cause)
    {
        PendingCall[] calls;
        lock (_gate)
        {
            if (_state is QmpState.Broken or QmpState.Closed)
            {
                return;
            }

            SetState(QmpState.Broken);
            _brokenReason = reason;
            _brokenCause = cause;
            calls = TakeAllPending();
        }

        QmpLog.Broken(_logger, _socketPath, reason, cause);
        Shutdown(calls, reason, cause);
    }

    /// <summary>Closes the connection; pending calls fail, later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        PendingCall[] calls;
        lock (_gate)
        {
            if (_state == QmpState.Closed)
            {
                return;
            }

            SetState(QmpState.Closed);
            calls = TakeAllPending();
        }

        // The socket is shut first and closed only once the reader has left its poll: closing a socket another thread
        // still polls makes .NET wait for that call to give up (measured: 0.4-8 ms per close of a start's monitor).
        Shutdown(calls, QmpMessages.ClosedByCaller, null, close: false);
        var reader = _reader;
        if (reader is not null && reader != Thread.CurrentThread)
        {
            reader.Join(TimeSpan.FromSeconds(5));
        }

        _socket?.Dispose();
    }

    private void Shutdown(PendingCall[] calls, string reason, Exception? cause, bool close = true)
    {
        _shut = true;
        _turnFree.Set();
        foreach (var call in calls)
        {
            call.Fail(reason, cause);
        }

        _greetingSeen.Set();
        NotifySubscribersBroken(reason, cause);
        var socket = _socket;
        if (socket is not null)
        {
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already gone: nothing left to shut.
            }

            if (close)
            {
                socket.Dispose();
            }
        }
    }

    private void SetState(QmpState next)
    {
        var previous = _state;
        _state = next;
        QmpLog.StateChanged(_logger, _socketPath, previous, next);
    }

    /// <summary>Throws what a call meets in <paramref name="state"/>, which is not Running.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowForState(QmpState state)
    {
        switch (state)
        {
            case QmpState.Broken:
                throw new QmpConnectionException(_brokenReason!, _brokenCause);
            case QmpState.Closed:
                throw new ObjectDisposedException(nameof(QmpConnection));
            default:
                throw new InvalidOperationException("The QMP connection is not open (state " + state + ").");
        }
    }

    private static bool WaitUntil(ManualResetEventSlim signal, TimeSpan timeout) =>
        timeout > TimeSpan.Zero && signal.Wait(timeout);
}
