using Virt.Snapshot;

namespace Virt.Testing.Snapshots;

/// <summary>A test domain's snapshot tree, in memory: what the snapshot support attaches to <see cref="TestDomain.Snapshots"/>.</summary>
internal sealed class InMemorySnapshotStore : ITestSnapshotStore
{
    public SnapshotTree Tree { get; } = new();

    public int Count => Tree.Count;

    public void RemoveAll() => Tree.Clear();
}
