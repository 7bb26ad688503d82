using System.Collections.Concurrent;
using System.Text.Json;
using Virt.Drivers;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Driver.Monitor;

/// <summary>
/// QEMU's events, as the process holding a domain's second monitor receives them, turned into libvirt's lifecycle
/// events (libvirt 9.0's qemuProcessHandleStop / Resume / Shutdown / GuestPanic / MonitorEOF) for every connection of
/// this process on the domain's root that has subscribers. Events that come while a job of this process runs on the
/// domain are that job's doing: the job publishes its own events, so they are not published again (a job that passes
/// a command through, <c>qemu-monitor-command</c>, is not counted: its effects are published from QEMU's events).
/// Every event puts the domain's <see cref="DomainMemory"/> in doubt; status.json is left for the next query or job to
/// settle, except after SHUTDOWN and at the monitor's end, where a connection settles the domain at once, as libvirt
/// ends QEMU at once.
/// </summary>
internal static class MonitorEvents
{
    /// <summary>The QEMU events followed.</summary>
    public static readonly IReadOnlyList<string> Followed = ["STOP", "RESUME", "SHUTDOWN", "GUEST_PANICKED", "RESET"];

    private static readonly object SinksGate = new();
    private static readonly Dictionary<string, IMonitorEventSink[]> Sinks = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, DomainMemory> Memories = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, object> Jobs = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, ProcessIdentity> ShutdownsSeen = new(StringComparer.Ordinal);

    /// <summary>Lets <paramref name="sink"/> hear the events of the domains in the root whose run folder is <paramref name="rootKey"/>.</summary>
    public static void Register(string rootKey, IMonitorEventSink sink)
    {
        lock (SinksGate)
        {
            Sinks[rootKey] = Sinks.TryGetValue(rootKey, out var sinks) ? [.. sinks, sink] : [sink];
        }
    }

    /// <summary>Ends what <see cref="Register"/> began.</summary>
    public static void Unregister(string rootKey, IMonitorEventSink sink)
    {
        lock (SinksGate)
        {
            if (Sinks.TryGetValue(rootKey, out var sinks))
            {
                var rest = Array.FindAll(sinks, s => s != sink);
                if (rest.Length == 0)
                {
                    Sinks.Remove(rootKey);
                }
                else
                {
                    Sinks[rootKey] = rest;
                }
            }
        }
    }

    /// <summary>Gives <paramref name="lifecycleEvent"/> to every connection of this process on the root that has subscribers.</summary>
    public static void Publish(string rootKey, DomainLifecycleEvent lifecycleEvent)
    {
        foreach (var sink in SinksOf(rootKey))
        {
            sink.Deliver(lifecycleEvent);
        }
    }

    /// <summary>The memory of the domain whose status file is <paramref name="statusFile"/>, while this process holds its monitor.</summary>
    public static DomainMemory? MemoryOf(string statusFile) => Memories.TryGetValue(statusFile, out var memory) ? memory : null;

    /// <summary>Follows the events of a monitor just taken; its end removes the memory and settles the domain.</summary>
    public static IDisposable Follow(DomainMemory memory)
    {
        ShutdownsSeen.TryRemove(memory.StatusFile, out _);
        Memories[memory.StatusFile] = memory;
        return memory.Connection.Subscribe(new QmpEventFilter(Followed), e => OnEvent(memory, e), _ => OnEnd(memory));
    }

    /// <summary>A job of this process, made by <paramref name="owner"/>, runs on the domain: events are its own.</summary>
    public static void BeginJob(string statusFile, object owner) => Jobs[statusFile] = owner;

    /// <summary>The job ends: the events its commands caused are handled first (QEMU sends them before its replies).</summary>
    public static void EndJob(string statusFile)
    {
        if (MemoryOf(statusFile) is { } memory)
        {
            memory.Connection.WaitForHandlers(TimeSpan.FromSeconds(1));
        }

        Jobs.TryRemove(statusFile, out _);
    }

    /// <summary>Whether QEMU <paramref name="qemu"/> of the domain said SHUTDOWN before it ended (or stopped in <c>shutdown</c>).</summary>
    public static bool WasShutDown(string statusFile, ProcessIdentity? qemu) =>
        qemu is { } process && ShutdownsSeen.TryGetValue(statusFile, out var seen) && seen == process;

    private static IMonitorEventSink[] SinksOf(string rootKey)
    {
        lock (SinksGate)
        {
            return Sinks.TryGetValue(rootKey, out var sinks) ? sinks : [];
        }
    }

    private static void OnEvent(DomainMemory memory, QmpEvent e)
    {
        bool own = Jobs.ContainsKey(memory.StatusFile);
        if (e.Name == "SHUTDOWN")
        {
            memory.ShutdownSeen = true;
            ShutdownsSeen[memory.StatusFile] = memory.Qemu;
        }
        else if (e.Name is "RESET" or "RESUME" && memory.ShutdownSeen)
        {
            // A fake reboot: the same QEMU runs the guest again.
            memory.ShutdownSeen = false;
            ShutdownsSeen.TryRemove(new KeyValuePair<string, ProcessIdentity>(memory.StatusFile, memory.Qemu));
        }

        if (own && e.Name is "STOP" or "RESUME")
        {
            // The job's own stop or cont: it records and remembers the state it made.
            return;
        }

        memory.Forget();
        if (own)
        {
            return;
        }

        var domain = new DomainIdentity(memory.Name, memory.Uuid);
        switch (e.Name)
        {
            case "STOP" when !memory.ShutdownSeen:
                Publish(memory.RootKey, DomainLifecycleEvent.Of(domain, DomainEventSuspendedDetail.Paused));
                break;
            case "RESUME":
                Publish(memory.RootKey, DomainLifecycleEvent.Of(domain, DomainEventResumedDetail.Unpaused));
                break;
            case "GUEST_PANICKED":
                Publish(memory.RootKey, DomainLifecycleEvent.Of(domain, DomainEventCrashedDetail.Panicked));
                break;
            case "SHUTDOWN":
                if (State.DomainFiles.ReadStatusFile(memory.StatusFile) is not { FakeReboot: true })
                {
                    Publish(memory.RootKey, DomainLifecycleEvent.Of(domain, ShutdownDetail(e)));
                }

                Settle(memory);
                break;
        }
    }

    private static void OnEnd(DomainMemory memory)
    {
        memory.Forget();
        Memories.TryRemove(new KeyValuePair<string, DomainMemory>(memory.StatusFile, memory));
        if (!Jobs.ContainsKey(memory.StatusFile))
        {
            Settle(memory);
        }
    }

    /// <summary>libvirt's detail: who asked for the shutdown, when QEMU says (<c>guest</c>, QEMU 2.10+).</summary>
    private static DomainEventShutdownDetail ShutdownDetail(QmpEvent e) =>
        e.Data.ValueKind == JsonValueKind.Object && e.Data.TryGetProperty("guest"u8, out var guest)
            ? guest.ValueKind == JsonValueKind.True ? DomainEventShutdownDetail.Guest : DomainEventShutdownDetail.Host
            : DomainEventShutdownDetail.Finished;

    private static void Settle(DomainMemory memory)
    {
        if (SinksOf(memory.RootKey) is [var sink, ..])
        {
            ThreadPool.UnsafeQueueUserWorkItem(_ => sink.SettleFromMonitor(memory.Name, memory.Qemu), null);
        }
    }
}
