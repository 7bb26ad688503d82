using System.Text.Json;

namespace Virt.Qemu.Qmp;

/// <summary>
/// One command waiting for its reply. Completed exactly once, by whoever removed it from the
/// pending table (whoever read the reply, or <see cref="QmpConnection.Break"/> with a failure).
/// While it waits, its caller may be handed the connection's read turn (<see cref="WakeForTurn"/>).
/// Never disposed: the completer may still be inside <c>Set</c> when the waiter wakes.
/// </summary>
internal sealed class PendingCall
{
    private readonly ManualResetEventSlim _done = new(false);

    /// <summary>Set on completion and when the read turn is handed to this call's caller.</summary>
    private readonly ManualResetEventSlim _turnSignal = new(false);

    public JsonDocument? Reply { get; private set; }

    public string? FailureReason { get; private set; }

    public Exception? FailureCause { get; private set; }

    /// <summary>Whether a reply or a failure has arrived.</summary>
    public bool IsDone => _done.IsSet;

    public void Complete(JsonDocument reply)
    {
        Reply = reply;
        _done.Set();
        _turnSignal.Set();
    }

    public void Fail(string reason, Exception? cause)
    {
        FailureReason = reason;
        FailureCause = cause;
        _done.Set();
        _turnSignal.Set();
    }

    /// <summary>Tells the waiting caller that the read turn is now its own.</summary>
    public void WakeForTurn() => _turnSignal.Set();

    /// <summary>Forgets an earlier wake-up; the caller then looks at its call and the turn again.</summary>
    public void ResetTurnSignal() => _turnSignal.Reset();

    /// <summary>Waits until the call completes, the turn is handed over, the time runs out or the token fires.</summary>
    public void WaitTurnSignal(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            _turnSignal.Wait(ClampTimeout(timeout), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The caller sees the token itself.
        }
    }

    /// <summary>Waits for completion; <c>false</c> when the time ran out or the token fired first.</summary>
    public bool Wait(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return _done.Wait(ClampTimeout(timeout), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return _done.IsSet;
        }
    }

    /// <summary>Waits for a completion already under way (the call left the pending table).</summary>
    public void WaitCompleted() => _done.Wait();

    private static int ClampTimeout(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return Timeout.Infinite;
        }

        return (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue - 1);
    }
}
