using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Virt.Qemu.Qmp;

/// <summary>
/// The QEMU driver's monitor: QMP's vocabulary (typed commands, jobs, HMP and raw passthrough, the
/// schema-based capability check) over a <see cref="QmpConnection"/>, which owns the protocol
/// state. Thread-safe: any number of threads may call at once. Every call blocks until QEMU
/// answered, the command's timeout passed, or the connection broke.
/// </summary>
internal sealed partial class QmpClient : IQmpClient
{
    private readonly bool _ownsConnection;

    public QmpClient(QmpConnection connection)
        : this(connection, ownsConnection: true)
    {
    }

    /// <param name="connection">The protocol engine.</param>
    /// <param name="ownsConnection">Whether <see cref="Dispose"/> closes it; a client over a connection held for longer does not.</param>
    public QmpClient(QmpConnection connection, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        _ownsConnection = ownsConnection;
    }

    /// <summary>The protocol engine underneath.</summary>
    public QmpConnection Connection { get; }

    /// <summary>QEMU's greeting.</summary>
    public QmpGreeting Greeting => Connection.Greeting;

    /// <summary>Where the connection is in its life.</summary>
    public QmpState State => Connection.State;

    /// <summary>See <see cref="QmpConnection.Subscribe"/>.</summary>
    public IDisposable Subscribe(QmpEventFilter filter, Action<QmpEvent> handler, Action<QmpConnectionException>? onBroken = null) =>
        Connection.Subscribe(filter, handler, onBroken);

    /// <summary>See <see cref="QmpConnection.SubscribeQueue"/>.</summary>
    public QmpEventQueue SubscribeQueue(QmpEventFilter filter) => Connection.SubscribeQueue(filter);

    /// <summary>Connects to QEMU's QMP socket and negotiates.</summary>
    /// <exception cref="VirtException">As <see cref="QmpConnection.Connect"/>.</exception>
    public static QmpClient Connect(string socketPath, QmpClientOptions? options = null) =>
        new(QmpConnection.Connect(socketPath, options));

    /// <summary>Runs a command without arguments and ignores its return value.</summary>
    /// <exception cref="QmpCommandException">QEMU answered with an error.</exception>
    /// <exception cref="QmpConnectionException">The connection is broken.</exception>
    /// <exception cref="VirtException">Timed out or cancelled.</exception>
    public void Execute(string command, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Connection.Execute(command, null, null, timeout, cancellationToken).Dispose();

    /// <summary>Runs a command with arguments and ignores its return value.</summary>
    /// <exception cref="QmpCommandException">QEMU answered with an error.</exception>
    /// <exception cref="QmpConnectionException">The connection is broken.</exception>
    /// <exception cref="VirtException">Timed out or cancelled.</exception>
    public void Execute<TArguments>(string command, TArguments arguments, JsonTypeInfo<TArguments> argumentsType, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Connection.Execute(command, arguments, argumentsType, timeout, cancellationToken).Dispose();

    /// <summary>Runs a command without arguments and reads its return value.</summary>
    /// <exception cref="QmpCommandException">QEMU answered with an error.</exception>
    /// <exception cref="QmpConnectionException">The connection is broken.</exception>
    /// <exception cref="VirtException">Timed out, cancelled, or the reply has the wrong shape (<see cref="VirtErrorCode.InternalError"/>).</exception>
    public TResult Query<TResult>(string command, JsonTypeInfo<TResult> resultType, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var reply = Connection.Execute(command, null, null, timeout, cancellationToken);
        return ReadReturn(command, reply, resultType);
    }

    /// <summary>Runs a command with arguments and reads its return value.</summary>
    /// <exception cref="QmpCommandException">QEMU answered with an error.</exception>
    /// <exception cref="QmpConnectionException">The connection is broken.</exception>
    /// <exception cref="VirtException">Timed out, cancelled, or the reply has the wrong shape.</exception>
    public TResult Execute<TArguments, TResult>(string command, TArguments arguments, JsonTypeInfo<TArguments> argumentsType, JsonTypeInfo<TResult> resultType, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var reply = Connection.Execute(command, arguments, argumentsType, timeout, cancellationToken);
        return ReadReturn(command, reply, resultType);
    }

    /// <summary>Closes the connection, when this client owns it.</summary>
    public void Dispose()
    {
        if (_ownsConnection)
        {
            Connection.Dispose();
        }
    }

    private static TResult ReadReturn<TResult>(string command, JsonDocument reply, JsonTypeInfo<TResult> resultType)
    {
        try
        {
            var result = reply.RootElement.GetProperty("return"u8).Deserialize(resultType);
            return result ?? throw new JsonException("the return value is null");
        }
        catch (JsonException e)
        {
            throw new VirtException(VirtErrorCode.InternalError, QmpMessages.UnexpectedReplyShape(command, e.Message), e);
        }
    }
}
