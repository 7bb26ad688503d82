using Virt.IO;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Driver.State;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Driver.Monitor;

/// <summary>
/// What the process holding a domain's second monitor knows of the domain's state without asking: the state and
/// reason a job or a query settled, with the stamp of the <c>status.json</c> it was settled against. It answers only
/// while that file is unchanged (another process's job rewrites it), the monitor is connected, QEMU is that very
/// process and no QEMU event has come since (each one is doubt: the next query asks QEMU again and remembers anew).
/// A job that asked QEMU for its disks' top nodes (<c>query-block</c>) may leave them here under the same rules: every
/// change of a disk's node (an external snapshot, a merge, a command passed through) rewrites the status file.
/// </summary>
internal sealed class DomainMemory(string rootKey, string name, string statusFile, Guid uuid, ProcessIdentity qemu, QmpConnection connection)
{
    private readonly object _gate = new();
    private long _generation;
    private DomainStateInfo? _state;
    private FileStamp _stamp;
    private IReadOnlyList<BlockInfo>? _blocks;

    /// <summary>The run folder of the root the domain lives in: which connections of this process hear its events.</summary>
    public string RootKey { get; } = rootKey;

    /// <summary>The domain's name.</summary>
    public string Name { get; } = name;

    /// <summary>The domain's <c>status.json</c>.</summary>
    public string StatusFile { get; } = statusFile;

    /// <summary>The domain's UUID.</summary>
    public Guid Uuid { get; } = uuid;

    /// <summary>The QEMU whose monitor is held.</summary>
    public ProcessIdentity Qemu { get; } = qemu;

    /// <summary>The held monitor connection.</summary>
    public QmpConnection Connection { get; } = connection;

    /// <summary>Whether QEMU has said SHUTDOWN: its end (or its stop in <c>shutdown</c>) is a shutdown, not a crash.</summary>
    public bool ShutdownSeen { get; set; }

    /// <summary>Counts the events that put the memory in doubt; a state settled before one of them is not remembered.</summary>
    public long Generation
    {
        get
        {
            lock (_gate)
            {
                return _generation;
            }
        }
    }

    /// <summary>The remembered state of <paramref name="domain"/>, or null when in doubt.</summary>
    public DomainStateInfo? TryAnswer(Guid domain) => TryRecall(domain)?.State;

    /// <summary>The remembered state of <paramref name="domain"/> and, when a job left them, its disks' top nodes; null
    /// when in doubt.</summary>
    public RecalledState? TryRecall(Guid domain)
    {
        DomainStateInfo state;
        FileStamp stamp;
        IReadOnlyList<BlockInfo>? blocks;
        lock (_gate)
        {
            if (_state is not { } known)
            {
                return null;
            }

            state = known;
            stamp = _stamp;
            blocks = _blocks;
        }

        return domain == Uuid && Connection.State == QmpState.Running && FileStamp.TryOf(StatusFile) == stamp && Qemu.IsAlive
            ? new RecalledState(state, blocks)
            : null;
    }

    /// <summary>Remembers <paramref name="state"/> (and <paramref name="blocks"/>, QEMU's <c>query-block</c> answer, when
    /// given), settled against the status file as it is now, unless an event came since <paramref name="generation"/>.
    /// Call under the domain's job, after the job's own events were handled.</summary>
    public void Remember(long generation, DomainStateInfo state, IReadOnlyList<BlockInfo>? blocks = null)
    {
        var stamp = FileStamp.TryOf(StatusFile);
        lock (_gate)
        {
            if (generation != _generation || stamp is null || ShutdownSeen || state.State == DomainState.Shutoff)
            {
                return;
            }

            // Nodes learnt against another status file are not carried over: the file changes when a disk's node does.
            _blocks = blocks ?? (_state is not null && _stamp == stamp.Value ? _blocks : null);
            _state = state;
            _stamp = stamp.Value;
        }
    }

    /// <summary>Puts the memory in doubt: the next query asks QEMU.</summary>
    public void Forget()
    {
        lock (_gate)
        {
            _generation++;
            _state = null;
            _blocks = null;
        }
    }
}

/// <summary>What <see cref="DomainMemory.TryRecall"/> remembers: the settled state, and the disks' top nodes when known.</summary>
/// <param name="State">The state and reason.</param>
/// <param name="Blocks">QEMU's <c>query-block</c> answer, or null when no job left it.</param>
internal sealed record RecalledState(DomainStateInfo State, IReadOnlyList<BlockInfo>? Blocks);
