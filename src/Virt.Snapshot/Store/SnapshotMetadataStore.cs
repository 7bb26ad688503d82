using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Virt.Snapshot.Store;

namespace Virt.Snapshot;

/// <summary>
/// Keeps a domain's snapshot metadata in a folder the driver chooses: one <c>NAME.xml</c> per snapshot (its
/// domainsnapshot XML) and a <c>current</c> file naming the current snapshot. Every write is atomic (temporary
/// file, fsync, rename, fsync of the folder); files are 0600 and the folder 0700. Use it as the
/// <see cref="SnapshotChangeHandler"/> of <see cref="SnapshotTree"/> operations (alone or combined with the
/// driver's own handler) so storage follows the tree step by step, and every step leaves a loadable store.
/// A write or removal either fails with nothing changed (the tree then skips its change too) or is made; when it
/// was made but the folder could not be flushed afterwards, the change stands (the tree applies it too) and a
/// warning is logged (category <c>Virt.Snapshot</c>, event 3000). Because a made change is never undone, put the
/// store last in <see cref="SnapshotChangeHandler.Combine"/>, after handlers that may still fail.
/// </summary>
public sealed class SnapshotMetadataStore : SnapshotChangeHandler
{
    /// <summary>The longest snapshot name accepted, in UTF-8 bytes (file names are limited to 255).</summary>
    public const int MaxNameBytes = 200;

    /// <summary>The largest snapshot file <see cref="Load()"/> reads (16 MiB, the XML parser's limit); larger files
    /// are reported and skipped without being read.</summary>
    public const int MaxFileBytes = 16 * 1024 * 1024;

    private const int MaxCurrentFileBytes = 4 * MaxNameBytes + 1;

    private const string Extension = ".xml";
    private const string CurrentFile = "current";
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly AtomicFile _files;
    private readonly ILogger _logger;

    /// <summary>Creates a store over <paramref name="directory"/> (created, 0700, on the first write).</summary>
    /// <param name="directory">The folder, for example <c>ROOT/domains/NAME/snapshots</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    public SnapshotMetadataStore(string directory)
        : this(directory, new AtomicFile())
    {
    }

    /// <summary>Creates a store over <paramref name="directory"/> that logs to <paramref name="loggerFactory"/>.</summary>
    /// <param name="directory">The folder, for example <c>ROOT/domains/NAME/snapshots</c>.</param>
    /// <param name="loggerFactory">Where warnings go (changes made but not flushed); null for none.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    public SnapshotMetadataStore(string directory, ILoggerFactory? loggerFactory)
        : this(directory, new AtomicFile(), loggerFactory?.CreateLogger(SnapshotStoreLog.Category))
    {
    }

    internal SnapshotMetadataStore(string directory, AtomicFile files, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        _files = files;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>Checks that a snapshot name can safely become a file name: not empty, at most
    /// <see cref="MaxNameBytes"/> UTF-8 bytes, not <c>.</c> or <c>..</c>, no <c>/</c> or <c>\</c>, no control
    /// characters, no unpaired UTF-16 surrogate (it has no UTF-8 form, so two such names would share a file).</summary>
    /// <param name="name">The name.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> saying what is wrong.</exception>
    public static void ValidateName(string? name)
    {
        string? problem = NameProblem(name);
        if (problem is not null)
        {
            throw new VirtException(VirtErrorCode.InvalidArg, problem);
        }
    }

    /// <summary>Reads every snapshot file and the current marker. A file that cannot be read or parsed, that is not a
    /// regular file (a FIFO, a device) or larger than <see cref="MaxFileBytes"/>, a file
    /// whose name does not match its snapshot, a missing parent or a parent cycle is reported in
    /// <see cref="SnapshotStoreLoadResult.Diagnostics"/> (the snapshot is skipped, or made a root) and the rest
    /// loads. Leftover temporary files of an interrupted write are removed.</summary>
    /// <returns>The tree and the diagnostics.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.ReadFailed"/> when the folder cannot be listed.</exception>
    public SnapshotStoreLoadResult Load() => Load(removeLeftovers: true);

    internal SnapshotStoreLoadResult Load(bool removeLeftovers)
    {
        var tree = new SnapshotTree();
        var diagnostics = new List<SnapshotLoadDiagnostic>();
        if (!System.IO.Directory.Exists(Directory))
        {
            return new(tree, diagnostics);
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
            if (fileName.StartsWith('.') && fileName.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal))
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

    /// <summary>Writes a snapshot's file atomically.</summary>
    /// <param name="snapshot">The definition.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> for a bad name;
    /// <see cref="VirtErrorCode.WriteFailed"/> when the file cannot be written (the old one stays). When it was
    /// written but the folder could not be flushed, nothing is thrown and a warning is logged.</exception>
    public void Save(SnapshotDefinition snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ValidateName(snapshot.Name);
        string xml = snapshot.ToXml();
        Io(() =>
        {
            EnsureDirectory();
            return _files.Write(PathOf(snapshot.Name!), xml);
        }, $"cannot write metadata of snapshot '{snapshot.Name}'", $"metadata of snapshot '{snapshot.Name}' written");
    }

    /// <summary>Removes a snapshot's file (nothing happens when there is none).</summary>
    /// <param name="name">The snapshot's name.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> for a bad name;
    /// <see cref="VirtErrorCode.WriteFailed"/> when it cannot be removed.</exception>
    public void Remove(string name)
    {
        ValidateName(name);
        Io(() => _files.Delete(PathOf(name)), $"cannot remove metadata of snapshot '{name}'", $"metadata of snapshot '{name}' removed");
    }

    /// <summary>Records the current snapshot (or removes the marker for none).</summary>
    /// <param name="name">The current snapshot's name, or null.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.WriteFailed"/> when it cannot be written.</exception>
    public void WriteCurrent(string? name)
    {
        if (name is null)
        {
            Io(() => _files.Delete(Path.Combine(Directory, CurrentFile)), "cannot clear the current snapshot marker", "current snapshot marker cleared");
            return;
        }

        ValidateName(name);
        Io(() =>
        {
            EnsureDirectory();
            return _files.Write(Path.Combine(Directory, CurrentFile), name + "\n");
        }, $"cannot record '{name}' as the current snapshot", $"'{name}' recorded as the current snapshot");
    }

    /// <inheritdoc/>
    public override void Saving(SnapshotDefinition snapshot, bool isNew) => Save(snapshot);

    /// <inheritdoc/>
    public override void Removing(SnapshotDefinition snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Remove(snapshot.Name!);
    }

    /// <inheritdoc/>
    public override void CurrentChanging(string? name) => WriteCurrent(name);

    internal static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "snapshot name must not be empty";
        }

        if (name is "." or "..")
        {
            return $"invalid snapshot name '{name}': '.' and '..' are not allowed";
        }

        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c is '/' or '\\')
            {
                return $"invalid snapshot name '{name}': name can't contain '{c}'";
            }

            if (char.IsControl(c))
            {
                return $"invalid snapshot name '{Printable(name)}': name can't contain control characters";
            }

            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"invalid snapshot name '{Printable(name)}': name can't contain unpaired UTF-16 surrogates";
            }
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
        {
            return $"invalid snapshot name '{name[..32]}...': longer than {MaxNameBytes} bytes";
        }

        return null;
    }

    private SnapshotDefinition? ReadSnapshot(string file, string fileName, List<SnapshotLoadDiagnostic> diagnostics)
    {
        string? problem = NameProblem(fileName);
        if (problem is not null)
        {
            diagnostics.Add(new(file, problem + "; file ignored"));
            return null;
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

            string name = Encoding.UTF8.GetString(bytes).TrimEnd('\n');
            if (tree.Contains(name))
            {
                tree.SetCurrentLoaded(name);
            }
            else
            {
                diagnostics.Add(new(path, $"current snapshot '{name}' does not exist; no snapshot is current"));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
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

    private void EnsureDirectory()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // Make the new folder's entry durable too, before files are written into it.
        if (_files.Durable && Path.GetDirectoryName(Directory) is { } parent)
        {
            Virt.IO.DirectorySync.Flush(parent);
        }
    }

    private string PathOf(string name) => Path.Combine(Directory, name + Extension);

    private static string Printable(string name) =>
        string.Concat(name.Select(c => char.IsControl(c) ? "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture)
            : char.IsSurrogate(c) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString()));

    /// <summary>Reads a whole file, at most <paramref name="maxBytes"/>, without blocking on a FIFO or reading a
    /// huge file: returns null with the reason when it is not a regular (seekable) file or is too large.</summary>
    private static byte[]? ReadBounded(string path, int maxBytes, out string? refused)
    {
        using var handle = NativeMethods.OpenForReading(path);
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        if (!stream.CanSeek)
        {
            refused = "not a regular file";
            return null;
        }

        long length = stream.Length;
        if (length > maxBytes)
        {
            refused = $"file is {length} bytes, more than the limit of {maxBytes}";
            return null;
        }

        // The length can change under us (or be 0 for special files): read at most one byte past the limit.
        byte[] buffer = new byte[Math.Min(Math.Max(length, 4096), maxBytes) + 1];
        int total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (buffer.Length > maxBytes)
                {
                    refused = $"file is more than the limit of {maxBytes} bytes";
                    return null;
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, maxBytes + 1L));
            }

            int read = stream.Read(buffer, total, buffer.Length - total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        refused = null;
        return total == buffer.Length ? buffer : buffer[..total];
    }

    private void Io(Func<IOException?> action, string what, string made)
    {
        IOException? notDurable;
        try
        {
            notDurable = action();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new VirtException(VirtErrorCode.WriteFailed, $"{what}: {ex.Message}", ex);
        }

        if (notDurable is not null)
        {
            SnapshotStoreLog.NotDurable(_logger, $"{made} in '{Directory}'", notDurable);
        }
    }
}
