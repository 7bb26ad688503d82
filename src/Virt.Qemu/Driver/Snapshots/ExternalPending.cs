using Virt.IO;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>
/// The files an external snapshot create or revert may leave behind if the managing process dies on the way: the
/// overlays, memory file and NVRAM copy a create makes, and for a revert its overlays and the files of the state it
/// leaves. They are listed in
/// <c>snapshots/.external-pending</c> before the first is created; success removes the list. The next snapshot job
/// on the domain deletes every listed file nothing references then (<see cref="ExternalReferences"/>: the definitions
/// and the tree as they ended up say which files are still needed, so an interrupted operation leaks nothing and loses
/// nothing) and the hidden temporary files an interrupted write of a listed file left (a memory file, an NVRAM copy),
/// then the list.
/// </summary>
internal static class ExternalPending
{
    private const string FileName = ".external-pending";

    /// <summary>Records <paramref name="files"/> before the operation creates or leaves them.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.WriteFailed"/> when the list cannot be written.</exception>
    public static void Begin(string snapshotFolder, IEnumerable<string> files)
    {
        try
        {
            PrivateDirectory.Create(snapshotFolder);
            _ = new AtomicFile().Write(Path.Combine(snapshotFolder, FileName), string.Join('\n', files) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VirtException(VirtErrorCode.WriteFailed, $"cannot record the files of a snapshot operation in '{snapshotFolder}': {e.Message}", e);
        }
    }

    /// <summary>The operation finished (or undid itself): the list goes.</summary>
    public static void End(string snapshotFolder) => File.Delete(Path.Combine(snapshotFolder, FileName));

    /// <summary>After an interrupted operation: deletes the listed files that <paramref name="references"/> does not
    /// hold and a running QEMU does not have open (<paramref name="inUse"/>, canonical; such a file keeps the list), nothing
    /// when the references are incomplete (the list stays), then the list.</summary>
    /// <returns>The files deleted.</returns>
    public static IReadOnlyList<string> Recover(string snapshotFolder, Func<ExternalReferences> references, IReadOnlySet<string>? inUse = null)
    {
        string list = Path.Combine(snapshotFolder, FileName);
        if (!File.Exists(list))
        {
            return [];
        }

        var refs = references();
        if (!refs.IsComplete)
        {
            return [];
        }

        var files = File.ReadAllLines(list).Where(l => l.Length > 0).ToList();
        var removed = refs.Unreferenced(files);
        bool busy = false;
        var deleted = new List<string>();
        foreach (string temp in files.SelectMany(TempFilesOf))
        {
            // A write (a memory file) the process died in: never a file anything references.
            File.Delete(temp);
            deleted.Add(temp);
        }

        foreach (string file in removed)
        {
            if (inUse?.Contains(file) == true)
            {
                busy = true;
                continue;
            }

            File.Delete(file);
            deleted.Add(file);
        }

        if (!busy)
        {
            File.Delete(list);
        }

        return deleted;
    }

    /// <summary>The hidden temporary files an interrupted atomic write of <paramref name="file"/> left beside it.</summary>
    internal static IEnumerable<string> TempFilesOf(string file)
    {
        string? folder = Path.GetDirectoryName(file);
        if (folder is null || !Directory.Exists(folder))
        {
            return [];
        }

        string prefix = "." + Path.GetFileName(file) + ".";
        return Directory.EnumerateFiles(folder, prefix + "*" + AtomicFile.TempSuffix)
            .Where(f => Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal) && AtomicFile.IsTempName(Path.GetFileName(f)))
            .ToList();
    }
}
