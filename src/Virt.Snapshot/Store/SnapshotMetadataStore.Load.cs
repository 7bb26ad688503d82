using System.Text;
using Virt.IO;

namespace Virt.Snapshot;

/// <summary>Reading the folder back.</summary>
public sealed partial class SnapshotMetadataStore
{
    /// <summary>The largest snapshot file <see cref="Load()"/> reads (16 MiB, the snapshot XML parser's limit); larger files
    /// are reported and skipped without being read.</summary>
    public const int MaxFileBytes = 16 * 1024 * 1024;

    private const int MaxCurrentFileBytes = 4 * MaxNameBytes + 1;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads every snapshot file and the current marker, taking ownership of the folder. A file that cannot
    /// be read or parsed, that is not a regular file (a FIFO, a device) or larger than <see cref="MaxFileBytes"/>, a
    /// file whose name does not match its snapshot, a missing parent or a parent cycle is reported in
    /// <see cref="SnapshotStoreLoadResult.Diagnostics"/> (the snapshot is skipped, or made a root) and the rest
    /// loads. Leftover temporary files of an interrupted write are removed: holding the lock, the store knows no
    /// live writer is using them.</summary>
    /// <returns>The tree and the diagnostics.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.ReadFailed"/> when the folder cannot be listed;
    /// <see cref="VirtErrorCode.ResourceBusy"/> when another store owns it.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public SnapshotStoreLoadResult Load() => Load(removeLeftovers: true);

    /// <summary>Reads the folder; without <paramref name="removeLeftovers"/>, a read-only look that neither takes
    /// ownership nor removes anything (what a test observer of another store's writes needs).</summary>
    internal SnapshotStoreLoadResult Load(bool removeLeftovers)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var tree = new SnapshotTree();
            var diagnostics = new List<SnapshotLoadDiagnostic>();
            if (!System.IO.Directory.Exists(Directory))
            {
                return new(tree, diagnostics);
            }

            if (removeLeftovers)
            {
                Own();
            }

            string[] files;
            try
            {
                files = System.IO.Directory.GetFiles(Directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new VirtException(VirtErrorCode.ReadFailed, $"cannot list snapshot metadata folder '{Directory}': {ex.Message}", ex);
            }

            var definitions = new List<SnapshotDefinition>(files.Length);
            foreach (string file in files)
            {
                string fileName = Path.GetFileName(file);
                if (AtomicFile.IsTempName(fileName))
                {
                    if (removeLeftovers)
                    {
                        TryDeleteLeftover(file, diagnostics);
                    }

                    continue;
                }

                if (!fileName.EndsWith(Extension, StringComparison.Ordinal))
                {
                    continue;
                }

                var def = ReadSnapshot(file, fileName[..^Extension.Length], diagnostics);
                if (def is not null)
                {
                    definitions.Add(def);
                }
            }

            definitions.Sort(static (a, b) =>
            {
                int c = a.CreationTime.CompareTo(b.CreationTime);
                return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
            });
            foreach (var (name, message) in tree.AttachLoaded(definitions))
            {
                diagnostics.Add(new(PathOf(name), message));
            }

            ReadCurrent(tree, diagnostics);
            return new(tree, diagnostics);
        }
    }

    private static SnapshotDefinition? ReadSnapshot(string file, string fileName, List<SnapshotLoadDiagnostic> diagnostics)
    {
        string? problem = NameProblem(fileName);
        if (problem is not null)
        {
            diagnostics.Add(new(file, problem + "; file ignored"));
            return null;
        }

        var stampTaken = DateTimeOffset.UtcNow;
        var stamp = FileStamp.TryOf(file);
        if (stamp is { } known && SnapshotFileCache.Find(file, known) is { } kept)
        {
            return kept;
        }

        try
        {
            if (ReadBounded(file, MaxFileBytes, out string? refused) is not { } bytes)
            {
                diagnostics.Add(new(file, $"cannot read snapshot '{fileName}': {refused}; file ignored"));
                return null;
            }

            int bom = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
            string text = StrictUtf8.GetString(bytes, bom, bytes.Length - bom);
            var def = SnapshotDefinition.Parse(text, SnapshotParseFlags.Redefine);
            if (def.Name != fileName)
            {
                diagnostics.Add(new(file, $"file holds snapshot '{def.Name}', not '{fileName}'; file ignored"));
                return null;
            }

            if (stamp is { } read)
            {
                SnapshotFileCache.Keep(file, read, stampTaken, def);
            }

            return def;
        }
        catch (VirtException ex)
        {
            diagnostics.Add(new(file, $"cannot load snapshot '{fileName}': {ex.Message}"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            diagnostics.Add(new(file, $"cannot read snapshot '{fileName}': {ex.Message}"));
        }

        return null;
    }

    private void ReadCurrent(SnapshotTree tree, List<SnapshotLoadDiagnostic> diagnostics)
    {
        string path = Path.Combine(Directory, CurrentFile);
        if (!File.Exists(path))
        {
            return;
        }

        try
        {
            if (ReadBounded(path, MaxCurrentFileBytes, out string? refused) is not { } bytes)
            {
                diagnostics.Add(new(path, $"cannot read the current snapshot marker: {refused}; no snapshot is current"));
                return;
            }

            string name = StrictUtf8.GetString(bytes).TrimEnd('\n');
            if (tree.Contains(name))
            {
                tree.SetCurrentLoaded(name);
            }
            else
            {
                diagnostics.Add(new(path, $"current snapshot '{name}' does not exist; no snapshot is current"));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            diagnostics.Add(new(path, $"cannot read the current snapshot marker: {ex.Message}"));
        }
    }

    private static void TryDeleteLeftover(string file, List<SnapshotLoadDiagnostic> diagnostics)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(new(file, $"cannot remove leftover temporary file: {ex.Message}"));
        }
    }

    /// <summary>Reads a whole regular file of at most <paramref name="maxBytes"/> (never blocking on a FIFO);
    /// null with the reason otherwise.</summary>
    private static byte[]? ReadBounded(string path, int maxBytes, out string? refused)
    {
        var read = BoundedFile.Read(path, maxBytes);
        refused = read.Bytes is not null ? null
            : read.NotRegular ? "not a regular file"
            : read.Size is { } size ? $"file is {size} bytes, more than the limit of {maxBytes}"
            : $"file is more than the limit of {maxBytes} bytes";
        return read.Bytes;
    }
}
