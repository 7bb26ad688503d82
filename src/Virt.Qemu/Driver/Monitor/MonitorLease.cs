using System.Collections.Concurrent;
using Virt.IO;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Driver.State;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Driver.Monitor;

/// <summary>
/// QEMU's second QMP monitor (<c>events.sock</c>), kept open by one process at a time. QEMU serves one client per
/// monitor socket, and a client that waits for a socket QEMU will not accept would block, so the process holding the
/// monitor holds an flock on <c>RUN/NAME/events.lease</c> too (the kernel releases it when that process dies); the
/// others see the lease taken and keep connecting to <c>qmp.sock</c> per job. The holder's jobs and state queries use
/// the open connection: no connect, greeting, negotiation or reader thread per call, and QEMU's events on it are followed
/// (<see cref="MonitorEvents"/>). Domains started without the second monitor (by an older build) have none to hold.
/// </summary>
internal sealed class MonitorLease
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);
    private static readonly ConcurrentDictionary<string, MonitorLease> Held = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, object> Gates = new(StringComparer.Ordinal);

    private readonly FolderLock _lease;
    private readonly QmpClient _client;
    private readonly ProcessIdentity _qemu;

    private MonitorLease(FolderLock lease, QmpClient client, ProcessIdentity qemu)
    {
        _lease = lease;
        _client = client;
        _qemu = qemu;
    }

    /// <summary>The held monitor of the QEMU <paramref name="status"/> records, connected now if no process holds it yet;
    /// null when another process holds it, QEMU has no second monitor or it cannot be reached. Disposing the client
    /// returned leaves the connection open. Call under the domain's job.</summary>
    public static QmpClient? TryBorrow(DomainStatus status, string leaseFolder, string statusFile, string rootKey, QmpClientOptions options)
    {
        if (status.EventSocket is not { } socket || status.Process is not { } qemu)
        {
            return null;
        }

        lock (Gates.GetOrAdd(socket, _ => new object()))
        {
            if (Held.TryGetValue(socket, out var held))
            {
                if (held._qemu == qemu && held._client.State == QmpState.Running)
                {
                    return new QmpClient(held._client.Connection, ownsConnection: false);
                }

                Held.TryRemove(socket, out _);
                held.Release();
            }

            var taken = Take(socket, leaseFolder, qemu, options);
            if (taken is not null)
            {
                MonitorEvents.Follow(new DomainMemory(rootKey, status.Name, statusFile, status.Uuid, qemu, taken.Connection));
            }

            return taken;
        }
    }

    private static QmpClient? Take(string socket, string leaseFolder, ProcessIdentity qemu, QmpClientOptions options)
    {
        FolderLock? lease;
        try
        {
            PrivateDirectory.Create(leaseFolder);
            lease = FolderLock.TryAcquire(leaseFolder, out _);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (lease is null)
        {
            return null;
        }

        QmpClient client;
        try
        {
            client = QmpClient.Connect(socket, options with { ConnectTimeout = ConnectTimeout });
        }
        catch (VirtException)
        {
            lease.Dispose();
            return null;
        }

        var taken = new MonitorLease(lease, client, qemu);
        Held[socket] = taken;
        // QEMU gone (or the connection broken): the lease goes at once, so a QEMU started later under the same name can be held.
        client.Subscribe(new QmpEventFilter([]), _ => { }, _ =>
        {
            if (Held.TryRemove(new KeyValuePair<string, MonitorLease>(socket, taken)))
            {
                taken._lease.Dispose();
            }
        });
        return new QmpClient(client.Connection, ownsConnection: false);
    }

    private void Release()
    {
        _client.Dispose();
        _lease.Dispose();
    }
}
