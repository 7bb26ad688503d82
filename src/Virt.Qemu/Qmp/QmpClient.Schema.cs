namespace Virt.Qemu.Qmp;

// What this QEMU can do, from query-qmp-schema: probed once per connection, lazily, then cached.
internal sealed partial class QmpClient
{
    private readonly Lock _schemaGate = new();
    private HashSet<string>? _commands;
    private HashSet<string>? _events;

    /// <summary>Whether QEMU knows the command <paramref name="name"/>.</summary>
    /// <exception cref="QmpConnectionException">The probe could not run.</exception>
    public bool HasCommand(string name)
    {
        EnsureSchema();
        return _commands!.Contains(name);
    }

    /// <summary>Whether QEMU can raise the event <paramref name="name"/>.</summary>
    public bool HasEvent(string name)
    {
        EnsureSchema();
        return _events!.Contains(name);
    }

    /// <summary>Whether internal snapshots run as jobs (<c>snapshot-save</c>, QEMU 6.0+) rather than through HMP <c>savevm</c>.</summary>
    public bool SupportsSnapshotJobs => HasCommand("snapshot-save");

    private void EnsureSchema()
    {
        if (Volatile.Read(ref _events) is not null)
        {
            return;
        }

        lock (_schemaGate)
        {
            if (_events is not null)
            {
                return;
            }

            var commands = new HashSet<string>(StringComparer.Ordinal);
            var events = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in Query("query-qmp-schema", Json.ListSchemaInfo))
            {
                switch (entry.MetaType)
                {
                    case "command":
                        commands.Add(entry.Name);
                        break;
                    case "event":
                        events.Add(entry.Name);
                        break;
                }
            }

            _commands = commands;
            Volatile.Write(ref _events, events);
        }
    }
}
