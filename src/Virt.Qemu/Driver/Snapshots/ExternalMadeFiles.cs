using Virt.IO;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>
/// The overlays Virt itself created for a domain (those of its external snapshots and of its reverts), listed in
/// <c>snapshots/.external-made</c>, written atomically before they are created. Once nothing references such a file
/// any more it is removable, whatever became of its chain (a revert overlay a stream made standalone, for example);
/// a file that is not listed (one the user brought) is never removed by that rule. Files that are gone leave the list
/// at the next addition.
/// </summary>
internal static class ExternalMadeFiles
{
    private const string FileName = ".external-made";

    /// <summary>Lists <paramref name="files"/> (before they are created).</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.WriteFailed"/> when the list cannot be written.</exception>
    public static void Add(string snapshotFolder, IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var added = files.Select(Path.GetFullPath).ToList();
        if (added.Count == 0)
        {
            return;
        }

        var kept = Read(snapshotFolder).Where(File.Exists);
        try
        {
            PrivateDirectory.Create(snapshotFolder);
            _ = new AtomicFile().Write(Path.Combine(snapshotFolder, FileName), string.Join('\n', kept.Concat(added).Distinct(StringComparer.Ordinal)) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VirtException(VirtErrorCode.WriteFailed, $"cannot record the overlays of a snapshot operation in '{snapshotFolder}': {e.Message}", e);
        }
    }

    /// <summary>The files listed (some may be gone).</summary>
    public static IReadOnlyList<string> Read(string snapshotFolder)
    {
        string list = Path.Combine(snapshotFolder, FileName);
        return File.Exists(list) ? [.. File.ReadAllLines(list).Where(l => l.Length > 0)] : [];
    }
}
