using System.Globalization;
using System.Text;
using Virt.Snapshot.Store;

namespace Virt.Snapshot;

/// <summary>
/// Keeps a domain's snapshot metadata in a folder the driver chooses: one <c>NAME.xml</c> per snapshot (its
/// domainsnapshot XML) and a <c>current</c> file naming the current snapshot. Every write is atomic (temporary
/// file, fsync, rename, fsync of the folder); files are 0600 and the folder 0700. Use it as the
/// <see cref="SnapshotChangeHandler"/> of <see cref="SnapshotTree"/> operations (alone or combined with the
/// driver's own handler) so storage follows the tree step by step, and every step leaves a loadable store.
/// </summary>
public sealed class SnapshotMetadataStore : SnapshotChangeHandler
{
    /// <summary>The longest snapshot name accepted, in UTF-8 bytes (file names are limited to 255).</summary>
    public const int MaxNameBytes = 200;

    private const string Extension = ".xml";
    private const string CurrentFile = "current";
    private readonly AtomicFile _files;

    /// <summary>Creates a store over <paramref name="directory"/> (created, 0700, on the first write).</summary>
    /// <param name="directory">The folder, for example <c>ROOT/domains/NAME/snapshots</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    public SnapshotMetadataStore(string directory)
        : this(directory, new AtomicFile())
    {
    }

    internal SnapshotMetadataStore(string directory, AtomicFile files)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        _files = files;
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>Checks that a snapshot name can safely become a file name: not empty, at most
    /// <see cref="MaxNameBytes"/> UTF-8 bytes, not <c>.</c> or <c>..</c>, no <c>/</c> or <c>\</c>, no control
    /// characters.</summary>
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

    /// <summary>Reads every snapshot file and the current marker. A file that cannot be read or parsed, a file
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
    /// <see cref="VirtErrorCode.WriteFailed"/> when the file cannot be written (the old one stays).</exception>
    public void Save(SnapshotDefinition snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ValidateName(snapshot.Name);
        string xml = snapshot.ToXml();
        Io(() =>
        {
            EnsureDirectory();
            _files.Write(PathOf(snapshot.Name!), xml);
        }, $"cannot write metadata of snapshot '{snapshot.Name}'");
    }

    /// <summary>Removes a snapshot's file (nothing happens when there is none).</summary>
    /// <param name="name">The snapshot's name.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> for a bad name;
    /// <see cref="VirtErrorCode.WriteFailed"/> when it cannot be removed.</exception>
    public void Remove(string name)
    {
        ValidateName(name);
        Io(() => _files.Delete(PathOf(name)), $"cannot remove metadata of snapshot '{name}'");
    }

    /// <summary>Records the current snapshot (or removes the marker for none).</summary>
    /// <param name="name">The current snapshot's name, or null.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.WriteFailed"/> when it cannot be written.</exception>
    public void WriteCurrent(string? name)
    {
        if (name is null)
        {
            Io(() => _files.Delete(Path.Combine(Directory, CurrentFile)), "cannot clear the current snapshot marker");
            return;
        }

        ValidateName(name);
        Io(() =>
        {
            EnsureDirectory();
            _files.Write(Path.Combine(Directory, CurrentFile), name + "\n");
        }, $"cannot record '{name}' as the current snapshot");
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

        foreach (char c in name)
        {
            if (c is '/' or '\\')
            {
                return $"invalid snapshot name '{name}': name can't contain '{c}'";
            }

            if (char.IsControl(c))
            {
                return $"invalid snapshot name '{Printable(name)}': name can't contain control characters";
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
            string text = File.ReadAllText(file, Encoding.UTF8);
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
            string name = File.ReadAllText(path, Encoding.UTF8).TrimEnd('\n');
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
            NativeMethods.FsyncDirectory(parent);
        }
    }

    private string PathOf(string name) => Path.Combine(Directory, name + Extension);

    private static string Printable(string name) =>
        string.Concat(name.Select(c => char.IsControl(c) ? "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture) : c.ToString()));

    private static void Io(Action action, string what)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new VirtException(VirtErrorCode.WriteFailed, $"{what}: {ex.Message}", ex);
        }
    }
}
