using Virt.IO;

namespace Virt.Qemu.Images;

/// <summary>
/// Creates an image file atomically with <see cref="AtomicFile"/> (temporary file with the requested mode, fsync,
/// link or rename, fsync of the directory), without replacing an existing file unless asked. A failure before the
/// file takes its name leaves nothing behind; a failure to flush the directory afterwards is reported (WriteFailed)
/// because the new name may not survive a crash. With overwrite, a symlink at the name is followed and its target
/// replaced (the link stays), as qemu-img writes through it; a device or directory there is refused.
/// </summary>
internal static class AtomicImageFile
{
    public static void Create(string path, bool overwrite, UnixFileMode mode, Action<FileStream> write, FileSteps? steps = null)
    {
        var file = new AtomicFile(steps);
        string full = Path.GetFullPath(path);
        string target = overwrite ? OverwriteTarget(path, full) : full;
        string directory = Path.GetDirectoryName(target) ?? "/";
        if (!Directory.Exists(directory))
        {
            throw new VirtException(VirtErrorCode.OpenFailed, $"'{path}': directory '{directory}' does not exist");
        }

        if (Directory.Exists(full))
        {
            throw new VirtException(VirtErrorCode.OperationInvalid, $"'{path}' is a directory");
        }

        if (!overwrite && (File.Exists(full) || new FileInfo(full).LinkTarget is not null))
        {
            throw AlreadyExists(path);
        }

        IOException? notDurable;
        try
        {
            if (overwrite)
            {
                notDurable = file.Replace(target, mode, write);
            }
            else if (!file.TryCreate(target, mode, write, out notDurable))
            {
                throw AlreadyExists(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ImageErrors.WriteFailed(path, ex);
        }

        if (notDurable is not null)
        {
            throw new VirtException(VirtErrorCode.WriteFailed,
                $"'{path}' was written but its directory '{directory}' could not be flushed to disk, so the new image may not survive a crash: {notDurable.Message}", notDurable);
        }
    }

    /// <summary>Where an overwrite writes: the final target of a symlink at the name, which must be a file or nothing.</summary>
    private static string OverwriteTarget(string path, string full)
    {
        string target = full;
        try
        {
            if (new FileInfo(full).LinkTarget is not null && File.ResolveLinkTarget(full, returnFinalTarget: true) is { } final)
            {
                target = final.FullName;
            }
        }
        catch (IOException ex)
        {
            throw new VirtException(VirtErrorCode.OpenFailed, $"'{path}' is a symbolic link that cannot be followed: {ex.Message}", ex);
        }

        HostFileKind kind = NativeMethods.StatusOf(target).Kind;
        if (kind is not (HostFileKind.Regular or HostFileKind.Missing or HostFileKind.Unknown))
        {
            string what = ImageHostFile.Refusal(kind) ?? "a block device";
            string via = target == full ? "" : $" (through the symbolic link to '{target}')";
            throw new VirtException(VirtErrorCode.OperationInvalid, $"'{path}'{via} is {what}; image creation only writes regular files and never overwrites anything else");
        }

        return target;
    }

    private static VirtException AlreadyExists(string path) =>
        new(VirtErrorCode.OperationInvalid, $"'{path}' already exists (set {nameof(ImageCreateOptions)}.{nameof(ImageCreateOptions.Overwrite)} to replace it)");
}
