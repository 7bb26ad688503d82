namespace Virt.Snapshot;

/// <summary>
/// A driver's per-snapshot work during a <see cref="SnapshotTree"/> operation (persisting metadata, removing a
/// disk snapshot, ...). The tree calls a method just before it makes the matching change in memory; if the method
/// throws, that change is not made, the operation stops, the exception propagates, and the tree holds exactly the
/// changes made so far, each of which left it consistent. The default methods do nothing.
/// </summary>
public abstract class SnapshotChangeHandler
{
    /// <summary>A handler that does nothing.</summary>
    public static SnapshotChangeHandler None { get; } = new NoOpHandler();

    /// <summary>Called before a definition enters the tree: a new snapshot, a redefined one, or one whose parent
    /// changes because its parent is deleted.</summary>
    /// <param name="snapshot">The definition as it will be stored.</param>
    /// <param name="isNew">True when the snapshot did not exist before.</param>
    public virtual void Saving(SnapshotDefinition snapshot, bool isNew)
    {
    }

    /// <summary>Called before a snapshot leaves the tree. It has no children left at that point.</summary>
    /// <param name="snapshot">The definition being removed.</param>
    public virtual void Removing(SnapshotDefinition snapshot)
    {
    }

    /// <summary>Called before the current snapshot changes.</summary>
    /// <param name="name">The new current snapshot, or null for none.</param>
    public virtual void CurrentChanging(string? name)
    {
    }

    /// <summary>Combines handlers: each method calls them in order, stopping at the first that throws. Put a
    /// <see cref="SnapshotMetadataStore"/> last: a change it made is not undone when a later handler throws.</summary>
    /// <param name="handlers">The handlers.</param>
    /// <returns>The combined handler.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handlers"/> is null.</exception>
    public static SnapshotChangeHandler Combine(params SnapshotChangeHandler[] handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        return new CombinedHandler([.. handlers]);
    }

    private sealed class NoOpHandler : SnapshotChangeHandler;

    private sealed class CombinedHandler(SnapshotChangeHandler[] handlers) : SnapshotChangeHandler
    {
        public override void Saving(SnapshotDefinition snapshot, bool isNew)
        {
            foreach (var h in handlers)
            {
                h.Saving(snapshot, isNew);
            }
        }

        public override void Removing(SnapshotDefinition snapshot)
        {
            foreach (var h in handlers)
            {
                h.Removing(snapshot);
            }
        }

        public override void CurrentChanging(string? name)
        {
            foreach (var h in handlers)
            {
                h.CurrentChanging(name);
            }
        }
    }
}
