using System.Text.Json;
using Virt.IO;

namespace Virt.Qemu.Images;

/// <summary>
/// Offline image operations that qemu-img does best (internal snapshots, commit, rebase, convert), run
/// through one <see cref="IQemuImgRunner"/>. Paths are passed absolute so none is read as an option or
/// a protocol; a failure carries qemu-img's stderr.
/// </summary>
internal sealed class QemuImgOperations
{
    private readonly IQemuImgRunner _runner;

    public QemuImgOperations(IQemuImgRunner runner)
    {
        _runner = runner;
    }

    public void CreateSnapshot(string path, string name, QemuImgOptions? options, CancellationToken ct) =>
        Snapshot("-c", path, name, options, ct);

    public void ApplySnapshot(string path, string name, QemuImgOptions? options, CancellationToken ct) =>
        Snapshot("-a", path, name, options, ct);

    public void DeleteSnapshot(string path, string name, QemuImgOptions? options, CancellationToken ct) =>
        Snapshot("-d", path, name, options, ct);

    public void Commit(string path, QemuImgOptions? options, CancellationToken ct)
    {
        string full = ExistingFile(path);
        Run(["commit", "-q", "-f", ChainFormat(full), full], full, options, ct);
    }

    public void Rebase(string path, string backing, string backingFormat, bool unsafeRebase, QemuImgOptions? options, CancellationToken ct)
    {
        string full = ExistingFile(path);
        ArgumentNullException.ThrowIfNull(backing);
        if (backing.Length == 0)
        {
            // No backing file: a safe rebase copies every cluster the chain below provides into the image.
            _ = ChainFormat(full);
            Run(["rebase", "-q", "-f", "qcow2", "-b", string.Empty, full], full, options, ct);
            return;
        }

        ArgumentException.ThrowIfNullOrEmpty(backingFormat);
        if (BackingPath.HasProtocol(backing))
        {
            throw ImageErrors.InvalidArg($"backing file name '{backing}' would be read as a protocol; prefix it with ./");
        }

        if (backingFormat is not ("qcow2" or "raw"))
        {
            throw ImageErrors.InvalidArg($"backing format '{backingFormat}' is not supported (use qcow2 or raw)");
        }

        if (!unsafeRebase)
        {
            // A safe rebase reads the old and the new backing chain.
            _ = ChainFormat(full);
            _ = BackingChainResolver.Resolve(BackingPath.Combine(full, backing), backingFormat);
        }

        var args = new List<string> { "rebase", "-q", "-f", "qcow2" };
        if (unsafeRebase)
        {
            args.Add("-u");
        }

        args.AddRange(["-b", backing, "-F", backingFormat, full]);
        Run(args, full, options, ct);
    }

    public void Convert(string source, string destination, string outputFormat, QemuImgOptions? options, CancellationToken ct)
    {
        string src = ExistingFile(source);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        if (outputFormat is not ("qcow2" or "raw"))
        {
            throw ImageErrors.InvalidArg($"output format '{outputFormat}' is not supported (use qcow2 or raw)");
        }

        string dst = Path.GetFullPath(destination);
        if (File.Exists(dst))
        {
            throw new VirtException(VirtErrorCode.OperationInvalid, $"'{destination}' already exists; choose another name");
        }

        Run(["convert", "-q", "-f", ChainFormat(src), "-O", outputFormat, src, dst], src, options, ct);
    }

    private void Snapshot(string flag, string path, string name, QemuImgOptions? options, CancellationToken ct)
    {
        string full = ExistingFile(path);
        ValidateSnapshotName(name);
        if (FormatOf(full) != "qcow2")
        {
            throw new VirtException(VirtErrorCode.OperationInvalid, $"'{path}' is not a qcow2 image; internal snapshots need qcow2");
        }

        // qemu-img snapshot has no -f: name the format in a JSON filename so nothing is probed.
        // QEMU's 'file' driver refuses block devices; they are opened with 'host_device'.
        string protocol = NativeMethods.StatusOf(full).Kind == HostFileKind.BlockDevice ? "host_device" : "file";
        Run(["snapshot", "-q", flag, name, JsonFilename("qcow2", full, protocol)], full, options, ct);
    }

    /// <summary>A "json:" filename that opens <paramref name="path"/> with the given format and protocol drivers, built by a JSON writer (which escapes).</summary>
    internal static string JsonFilename(string format, string path, string protocol = "file")
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("driver", format);
            json.WriteStartObject("file");
            json.WriteString("driver", protocol);
            json.WriteString("filename", path);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return "json:" + System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    internal static void ValidateSnapshotName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Any(char.IsControl))
        {
            throw ImageErrors.InvalidArg($"snapshot name '{name}' is invalid: it must be non-empty and contain no control characters");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(name) > ushort.MaxValue)
        {
            throw ImageErrors.InvalidArg("snapshot name is longer than 65535 bytes");
        }
    }

    private static string ExistingFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        ImageHostFile.CheckIsImageFile(path);
        if (!File.Exists(full))
        {
            throw ImageErrors.NotFound(path);
        }

        return full;
    }

    private static string FormatOf(string full) => ImageReader.Read(full, null).Format;

    /// <summary>
    /// The top image's format, after reading its whole backing chain natively: qemu-img would wait on a
    /// named pipe in the chain until the timeout and would probe a backing file with no recorded format;
    /// both are refused here by name first.
    /// </summary>
    private static string ChainFormat(string full) => BackingChainResolver.Resolve(full, null)[0].Format;

    private void Run(IReadOnlyList<string> args, string subject, QemuImgOptions? options, CancellationToken ct)
    {
        TimeSpan timeout = (options ?? new QemuImgOptions()).Timeout;
        QemuImgResult result = _runner.Run(args, timeout, ct);
        if (result.ExitCode != 0)
        {
            string err = result.StandardError.Trim();
            if (err.Length == 0)
            {
                err = result.StandardOutput.Trim();
            }

            throw new VirtException(VirtErrorCode.OperationFailed,
                $"qemu-img {args[0]} failed on '{subject}' (exit code {result.ExitCode}): {err}");
        }
    }
}
