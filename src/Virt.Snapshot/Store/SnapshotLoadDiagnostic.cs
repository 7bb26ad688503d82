namespace Virt.Snapshot;

/// <summary>A problem found while loading snapshot metadata. Loading goes on without the broken part.</summary>
/// <param name="FilePath">The file concerned.</param>
/// <param name="Message">What is wrong and what was done about it.</param>
public sealed record SnapshotLoadDiagnostic(string FilePath, string Message)
{
    /// <summary>The file and the message, for logs.</summary>
    /// <returns>"file: message".</returns>
    public override string ToString() => FilePath + ": " + Message;
}

/// <summary>What <see cref="SnapshotMetadataStore.Load()"/> found.</summary>
/// <param name="Tree">The snapshots that could be read, linked; the current snapshot set when the marker names one.</param>
/// <param name="Diagnostics">Every file that could not be read or was repaired; empty when all is well.</param>
public sealed record SnapshotStoreLoadResult(SnapshotTree Tree, IReadOnlyList<SnapshotLoadDiagnostic> Diagnostics);
