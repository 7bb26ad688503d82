using System.Globalization;
using Virt.Cli.Parsing;

namespace Virt.Cli.Commands;

/// <summary>
/// <c>event</c> (virsh's "Domain Events" group): lists event kinds, or waits for domain events and prints them as
/// virsh's <c>cmdEvent</c> does. The library delivers lifecycle events only: <c>--event</c> with another kind waits
/// without printing anything, which is what virsh shows for a driver that never sends that kind.
/// </summary>
internal static class EventCommand
{
    public static CommandGroup Group => new("Domain Events", "events",
    [
        new("event",
            [
                new("domain", OptionType.String, "filter by domain name, id or uuid"),
                new("event", OptionType.String, "which event type to wait for"),
                OptionDef.Flag("all", "wait for all events instead of just one type"),
                OptionDef.Flag("loop", "loop until timeout or interrupt, rather than one-shot"),
                new("timeout", OptionType.Int, "timeout seconds", OptionFlags.RequiresName),
                OptionDef.Flag("list", "list valid event types"),
                OptionDef.Flag("timestamp", "show timestamp for each printed event"),
            ],
            "Domain Events", "List event types, or wait for domain events to occur", Run),
    ]);

    /// <summary>The longest timeout virsh takes: its milliseconds must fit an int.</summary>
    private const int MaxTimeoutSeconds = int.MaxValue / 1000;

    /// <summary>Set while an <c>event</c> command waits: Ctrl-C ends the wait ("event loop interrupted") instead of the program.</summary>
    private static Action? _interrupt;

    /// <summary>For tests: called once an <c>event</c> command has subscribed and waits.</summary>
    internal static Action? OnWatching { get; set; }

    static EventCommand() => Console.CancelKeyPress += (_, e) =>
    {
        if (Volatile.Read(ref _interrupt) is { } interrupt)
        {
            e.Cancel = true;
            interrupt();
        }
    };

    private static bool Run(CommandContext context, ParsedCommand command)
    {
        if (context.Exclusive(command, "all", "event") || context.Exclusive(command, "list", "all") || context.Exclusive(command, "list", "event"))
        {
            return false;
        }

        if (command.Has("list"))
        {
            foreach (string kind in EventNames.Kinds)
            {
                context.Print(kind + "\n");
            }

            return true;
        }

        string? kindName = context.GetString(command, "event");
        if (kindName is not null && !EventNames.Kinds.Contains(kindName))
        {
            context.Error($"unknown event type {kindName}");
            return false;
        }

        if (kindName is null && !command.Has("all"))
        {
            context.Error("one of --list, --all, or --event <type> is required");
            return false;
        }

        if (!TryTimeout(context, command, out var timeout))
        {
            return false;
        }

        var domain = command.Has("domain") ? DomainLookup.Find(context, command) : null;
        var watch = new Watch(context, domain?.Uuid, printLifecycle: kindName is null or EventNames.Lifecycle,
            loop: command.Has("loop"), timestamp: command.Has("timestamp"));
        return watch.Run(context.Connection, timeout);
    }

    /// <summary>virsh's <c>vshCommandOptTimeoutToMs</c>: whole seconds, 1 to <see cref="MaxTimeoutSeconds"/>.</summary>
    private static bool TryTimeout(CommandContext context, ParsedCommand command, out TimeSpan timeout)
    {
        timeout = Timeout.InfiniteTimeSpan;
        if (command.Get("timeout") is not { } text)
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingWhite | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int seconds)
            || seconds <= 0 || seconds > MaxTimeoutSeconds)
        {
            context.Error($"Numeric value '{text}' for <timeout> option is malformed or out of range");
            return false;
        }

        timeout = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>One wait for events: prints each as it comes, on the library's event thread, until the first
    /// (without <c>--loop</c>), the timeout or Ctrl-C.</summary>
    private sealed class Watch(CommandContext context, Guid? domainUuid, bool printLifecycle, bool loop, bool timestamp)
    {
        private readonly Lock _lock = new();
        private readonly ManualResetEventSlim _done = new();
        private int _count;
        private bool _closed;
        private bool _interrupted;

        public bool Run(IVirtConnection connection, TimeSpan timeout)
        {
            // Subscribing also tells whether the driver has events at all (virsh registers before it waits).
            connection.DomainLifecycle += OnLifecycle;
            Volatile.Write(ref _interrupt, Interrupt);
            OnWatching?.Invoke();
            bool ended;
            try
            {
                ended = _done.Wait(timeout);
            }
            finally
            {
                Volatile.Write(ref _interrupt, null);
                connection.DomainLifecycle -= OnLifecycle;
            }

            int count;
            bool interrupted;
            lock (_lock)
            {
                _closed = true;
                count = _count;
                interrupted = _interrupted;
            }

            _done.Dispose();
            if (interrupted)
            {
                context.Print("event loop interrupted\n");
            }
            else if (!ended)
            {
                context.Print("event loop timed out\n");
            }

            context.Print($"events received: {count}\n");
            context.Out.Flush();
            return count > 0;
        }

        private void Interrupt()
        {
            lock (_lock)
            {
                if (!_closed)
                {
                    _interrupted = true;
                    _done.Set();
                }
            }
        }

        private void OnLifecycle(object? sender, DomainLifecycleEventArgs e)
        {
            if (!printLifecycle || (domainUuid is { } uuid && e.Domain.Uuid != uuid))
            {
                return;
            }

            lock (_lock)
            {
                if (_closed || (!loop && _count > 0))
                {
                    return;
                }

                string line = $"event 'lifecycle' for domain '{e.Domain.Name}': {EventNames.Type(e.Type)} {EventNames.Detail(e.Type, e.Detail)}\n";
                context.Print(timestamp ? Timestamp() + ": " + line : line);
                context.Out.Flush();
                _count++;
                if (!loop)
                {
                    _done.Set();
                }
            }
        }

        /// <summary>libvirt's <c>virTimeStringNowRaw</c>: UTC with milliseconds.</summary>
        private static string Timestamp() =>
            DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + "+0000";
    }
}
