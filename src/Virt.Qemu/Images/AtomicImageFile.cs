using System.Security.Cryptography;

namespace Virt.Qemu.Images;

/// <summary>
/// Creates a file atomically: the content goes to a temporary file in the same directory, is flushed to
/// disk, then takes the final name (without replacing an existing file unless asked), and the directory
/// is flushed. A failure at any step leaves no partial file behind.
/// </summary>
internal static class AtomicImageFile
{
    public static void Create(string path, bool overwrite, Action<FileStream> write)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? "/";
        if (!Directory.Exists(directory))
        {
            throw new VirtException(VirtErrorCode.OpenFailed, $"'{path}': directory '{directory}' does not exist");
        }

        if (Directory.Exists(full))
        {
            throw new VirtException(VirtErrorCode.OperationInvalid, $"'{path}' is a directory");
        }

        if (!overwrite && File.Exists(full))
        {
            throw AlreadyExists(path);
        }

        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Convert.ToHexString(RandomNumberGenerator.GetBytes(6))}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            if (overwrite)
            {
                File.Move(temp, full, overwrite: true);
            }
            else if (!NativeMethods.TryLinkNoReplace(temp, full))
            {
                throw AlreadyExists(path);
            }

            NativeMethods.FSyncDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ImageErrors.WriteFailed(path, ex);
        }
        finally
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: the temporary name is unique and hidden.
            }
        }
    }

    private static VirtException AlreadyExists(string path) =>
        new(VirtErrorCode.OperationInvalid, $"'{path}' already exists (set {nameof(ImageCreateOptions)}.{nameof(ImageCreateOptions.Overwrite)} to replace it)");
}
