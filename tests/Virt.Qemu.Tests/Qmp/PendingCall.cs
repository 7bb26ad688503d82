using System.Diagnostics;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>
/// Runs one client call on its own thread so the test can act (close the client, kill QEMU) while the call
/// is pending; keeps what the call threw and when.
/// </summary>
internal sealed class PendingCall
{
    private readonly Thread _thread;

    public PendingCall(Action call)
    {
        _thread = new Thread(() =>
        {
            try
            {
                call();
            }
#pragma warning disable CA1031 // whatever the call throws is the test's subject
            catch (Exception e)
#pragma warning restore CA1031
            {
                FailedAt = Stopwatch.GetTimestamp();
                Failure = e;
            }
        });
        _thread.Start();
    }

    /// <summary>What the call threw, or null if it returned (read after <see cref="Join"/>).</summary>
    public Exception? Failure { get; private set; }

    /// <summary>The <see cref="Stopwatch"/> timestamp at which the call threw; 0 if it did not.</summary>
    public long FailedAt { get; private set; }

    public bool Join(TimeSpan timeout) => _thread.Join(timeout);
}
