using Microsoft.Extensions.Logging;
using Virt.Snapshot;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>
/// A domain's snapshot tree with the store that keeps it in <c>DATA/domains/NAME/snapshots</c>. A job that changes
/// snapshots opens it (the store then owns the folder until disposed); a query takes a read-only look, which never
/// waits for a job (every write is an atomic rename, so a look sees whole files).
/// </summary>
internal sealed class SnapshotMetadata : IDisposable
{
    private SnapshotMetadata(SnapshotMetadataStore store, SnapshotTree tree)
    {
        Store = store;
        Tree = tree;
    }

    /// <summary>The store: the last handler of every tree change.</summary>
    public SnapshotMetadataStore Store { get; }

    /// <summary>The tree as loaded.</summary>
    public SnapshotTree Tree { get; }

    /// <summary>Opens the folder for changes (call under the domain's job).</summary>
    /// <exception cref="VirtException">As <see cref="SnapshotMetadataStore.Load()"/>.</exception>
    public static SnapshotMetadata Open(string folder, ILoggerFactory loggerFactory)
    {
        var store = new SnapshotMetadataStore(folder, loggerFactory);
        try
        {
            return new SnapshotMetadata(store, store.Load().Tree);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The tree as the folder holds it now, without owning the folder.</summary>
    public static SnapshotTree Read(string folder)
    {
        using var store = new SnapshotMetadataStore(folder);
        return store.Load(removeLeftovers: false).Tree;
    }

    /// <inheritdoc/>
    public void Dispose() => Store.Dispose();
}
