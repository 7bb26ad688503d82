using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Virt.Qemu.Qmp;

internal sealed partial class QmpConnection
{
    /// <summary>
    /// Sends two commands in one write, <paramref name="first"/> then <paramref name="second"/>, and waits for both
    /// replies: one round trip where two calls take two. QEMU runs a monitor's commands in the order they came, so the
    /// second runs after the first, and runs even when the first failed. Returns both replies as they came (error replies
    /// included); the caller disposes them.
    /// </summary>
    /// <exception cref="QmpConnectionException">The connection is or became broken.</exception>
    /// <exception cref="VirtException">No reply in time (each command's default from <see cref="QmpTimeouts"/>).</exception>
    public (JsonDocument First, JsonDocument Second) ExecuteInOrder(string first, object? firstArguments, JsonTypeInfo? firstType,
        string second, object? secondArguments, JsonTypeInfo? secondType)
    {
        ArgumentException.ThrowIfNullOrEmpty(first);
        ArgumentException.ThrowIfNullOrEmpty(second);
        long firstId = Interlocked.Increment(ref _nextId);
        long secondId = Interlocked.Increment(ref _nextId);
        // The writer's buffer is the thread's own and reused by the next write: the first command is copied out first.
        byte[] firstBytes = QmpCommandWriter.Write(first, firstId, firstArguments, firstType).ToArray();
        var secondBytes = QmpCommandWriter.Write(second, secondId, secondArguments, secondType);
        var bytes = new byte[firstBytes.Length + secondBytes.Length];
        firstBytes.CopyTo(bytes, 0);
        secondBytes.Span.CopyTo(bytes.AsSpan(firstBytes.Length));

        var secondCall = new PendingCall();
        lock (_gate)
        {
            // Not running: the first call below throws what a call meets then, and the second is never sent.
            if (_state == QmpState.Running)
            {
                _pending.Add(secondId, secondCall);
            }
        }

        var secondTimeout = QmpTimeouts.ForCommand(second);
        long started = Stopwatch.GetTimestamp();
        JsonDocument firstReply;
        try
        {
            firstReply = SendAndWait(first, firstId, bytes, QmpTimeouts.ForCommand(first), CancellationToken.None, negotiating: false);
        }
        catch
        {
            // Its reply, should it come, is dropped as a late one.
            if (!Forget(secondId, abandoned: true) && secondCall.IsDone)
            {
                secondCall.Reply?.Dispose();
            }

            throw;
        }

        try
        {
            TimeSpan Remaining() => TimeSpan.FromTicks(Math.Max(0, (secondTimeout - Stopwatch.GetElapsedTime(started)).Ticks));
            return (firstReply, AwaitReply(second, secondId, secondCall, secondTimeout, Remaining, CancellationToken.None));
        }
        catch
        {
            firstReply.Dispose();
            throw;
        }
    }
}
