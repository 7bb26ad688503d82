namespace Virt.Snapshot.Rules;

/// <summary>
/// The one conversion between a domain's state and a snapshot's state. libvirt's <c>virDomainSnapshotState</c> is
/// <c>virDomainState</c> plus <c>disk-snapshot</c>, so every domain state has a snapshot state of the same name;
/// <see cref="SnapshotState.DiskSnapshot"/> has no domain state.
/// </summary>
internal static class SnapshotStateConversion
{
    /// <summary>The snapshot state recording a domain state.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="state"/> is not a defined domain state.</exception>
    public static SnapshotState FromDomainState(DomainState state) => state switch
    {
        DomainState.NoState => SnapshotState.NoState,
        DomainState.Running => SnapshotState.Running,
        DomainState.Blocked => SnapshotState.Blocked,
        DomainState.Paused => SnapshotState.Paused,
        DomainState.Shutdown => SnapshotState.Shutdown,
        DomainState.Shutoff => SnapshotState.Shutoff,
        DomainState.Crashed => SnapshotState.Crashed,
        DomainState.PMSuspended => SnapshotState.PMSuspended,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a domain state"),
    };

    /// <summary>The domain state a snapshot state names, or null for <see cref="SnapshotState.DiskSnapshot"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="state"/> is not a defined snapshot state.</exception>
    public static DomainState? ToDomainState(SnapshotState state) => state switch
    {
        SnapshotState.NoState => DomainState.NoState,
        SnapshotState.Running => DomainState.Running,
        SnapshotState.Blocked => DomainState.Blocked,
        SnapshotState.Paused => DomainState.Paused,
        SnapshotState.Shutdown => DomainState.Shutdown,
        SnapshotState.Shutoff => DomainState.Shutoff,
        SnapshotState.Crashed => DomainState.Crashed,
        SnapshotState.PMSuspended => DomainState.PMSuspended,
        SnapshotState.DiskSnapshot => null,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a snapshot state"),
    };
}
