using System.Text.Json;

namespace Virt.Qemu.Qmp;

/// <summary>
/// One command waiting for its reply. Completed exactly once, by whoever removed it from the
/// pending table (the reader with the reply, or <see cref="QmpConnection.Break"/> with a failure).
/// Never disposed: the completer may still be inside <c>Set</c> when the waiter wakes.
/// </summary>
internal sealed class PendingCall
{
    private readonly ManualResetEventSlim _done = new(false);

    public JsonDocument? Reply { get; private set; }

    public string? FailureReason { get; private set; }

    public Exception? FailureCause { get; private set; }

    /// <summary>Whether a reply or a failure has arrived.</summary>
    public bool IsDone => _done.IsSet;

    public void Complete(JsonDocument reply)
    {
        Reply = reply;
        _done.Set();
    }

    public void Fail(string reason, Exception? cause)
    {
        FailureReason = reason;
        FailureCause = cause;
        _done.Set();
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
