using System.Runtime.ExceptionServices;

namespace Virt.Remote.Rpc;

/// <summary>
/// A call waiting for its reply: completed once, by whoever reads the reply or by <see cref="RpcConnection"/>'s break.
/// No Task per call: a caller that reads its own reply only checks <see cref="IsDone"/>; an event to sleep on is made
/// only when a caller has to wait for another thread (<see cref="Wait"/>).
/// </summary>
internal sealed class PendingCall(uint serial, int procedure)
{
    private readonly Lock _gate = new();
    private RpcInbound? _reply;
    private Exception? _failure;
    private volatile bool _done;
    private ManualResetEventSlim? _signal;

    public uint Serial { get; } = serial;

    public int Procedure { get; } = procedure;

    /// <summary>Whether the reply or the failure is in.</summary>
    public bool IsDone => _done;

    /// <summary>The reply; throws the failure when the call failed. Only after <see cref="IsDone"/>.</summary>
    public RpcInbound Reply
    {
        get
        {
            if (_failure is not null)
            {
                ExceptionDispatchInfo.Throw(_failure);
            }

            return _reply!;
        }
    }

    public void Complete(RpcInbound reply) => Finish(reply, null);

    public void Fail(Exception reason) => Finish(null, reason);

    /// <summary>Sleeps until the call is done or <paramref name="timeout"/> passes.</summary>
    /// <returns>False when the timeout passed first.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public bool Wait(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ManualResetEventSlim signal;
        lock (_gate)
        {
            if (_done)
            {
                return true;
            }

            signal = _signal ??= new ManualResetEventSlim();
        }

        return signal.Wait(timeout, cancellationToken);
    }

    private void Finish(RpcInbound? reply, Exception? failure)
    {
        ManualResetEventSlim? signal;
        lock (_gate)
        {
            if (_done)
            {
                return;
            }

            _reply = reply;
            _failure = failure;
            _done = true;
            signal = _signal;
        }

        signal?.Set();
    }
}
