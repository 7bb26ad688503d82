using System.Collections.Concurrent;
using Virt.IO;

namespace Virt.Snapshot;

/// <summary>
/// Per process, each snapshot file's parsed definition, kept by file stamp (<see cref="FileStamp"/>): a definition is
/// immutable and a store writes a file only by an atomic rename (a new inode), so a load of a folder parses only the
/// files that changed since the last one. A file is kept only once it has settled (<see cref="FileStamp.IsSettled"/>),
/// so a rewrite within one tick of the file system's clock is never taken for the version kept.
/// </summary>
internal static class SnapshotFileCache
{
    /// <summary>More files than a process keeps: the cache starts over (files of deleted snapshots are never asked for again).</summary>
    private const int MaxEntries = 4096;

    private static readonly ConcurrentDictionary<string, (FileStamp Stamp, SnapshotDefinition Definition)> Definitions = new(StringComparer.Ordinal);

    /// <summary>The definition kept for <paramref name="path"/> at <paramref name="stamp"/>, if any.</summary>
    public static SnapshotDefinition? Find(string path, FileStamp stamp) =>
        Definitions.TryGetValue(path, out var kept) && kept.Stamp == stamp ? kept.Definition : null;

    /// <summary>Keeps <paramref name="definition"/>, parsed from <paramref name="path"/> read after <paramref name="stamp"/>
    /// was taken at <paramref name="stampTaken"/>; a file that had not settled then is not kept.</summary>
    public static void Keep(string path, FileStamp stamp, DateTimeOffset stampTaken, SnapshotDefinition definition)
    {
        if (!stamp.IsSettled(stampTaken))
        {
            Definitions.TryRemove(path, out _);
            return;
        }

        if (Definitions.Count >= MaxEntries)
        {
            Definitions.Clear();
        }

        Definitions[path] = (stamp, definition);
    }
}
