using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Virt.IO;

namespace Virt.Qemu.Images;

/// <summary>
/// An image opened for reading: a regular file or a block device (qemu-img reads both; libvirt disks can
/// be <c>&lt;disk type='block'&gt;</c>), with its length. Anything else is refused by name before it is
/// opened, and checked again on the open descriptor, which is opened non-blocking so a named pipe
/// swapped in between cannot make the read wait for a writer.
/// </summary>
internal sealed class ImageHostFile : IDisposable
{
    private ImageHostFile(FileStream stream, long length, long? allocatedBytes)
    {
        Stream = stream;
        Length = length;
        AllocatedBytes = allocatedBytes;
    }

    public FileStream Stream { get; }

    /// <summary>The file's length, or the block device's size.</summary>
    public long Length { get; }

    /// <summary>Bytes allocated on the host (st_blocks × 512; 0 for a block device, as qemu-img reports), or null where unknown.</summary>
    public long? AllocatedBytes { get; }

    public void Dispose() => Stream.Dispose();

    /// <summary>What a file of this kind is called in the error, or null when it can be read as an image.</summary>
    internal static string? Refusal(HostFileKind kind) => kind switch
    {
        HostFileKind.Directory => "a directory",
        HostFileKind.CharacterDevice => "a character device",
        HostFileKind.Fifo => "a named pipe (FIFO)",
        HostFileKind.Socket => "a socket",
        HostFileKind.Symlink => "a symbolic link",
        _ => null,
    };

    /// <summary>Refuses by name what is not a regular file or block device, without opening it.</summary>
    public static void CheckIsImageFile(string path)
    {
        HostFileKind kind = NativeMethods.StatusOf(path).Kind;
        if (kind == HostFileKind.Unknown && Directory.Exists(path))
        {
            kind = HostFileKind.Directory;
        }

        Check(path, kind);
    }

    /// <summary>Opens <paramref name="path"/> read-only after checking what it is.</summary>
    public static ImageHostFile OpenRead(string path)
    {
        CheckIsImageFile(path);
        if (!NativeMethods.CanTellFileKind)
        {
            return OpenWithDotNet(path);
        }

        SafeFileHandle? handle = NativeMethods.OpenReadNonBlocking(path, out int errno);
        if (handle is null)
        {
            throw NativeMethods.IsMissing(errno)
                ? ImageErrors.NotFound(path)
                : new VirtException(VirtErrorCode.OpenFailed, $"'{path}': {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        try
        {
            HostFileStatus status = NativeMethods.StatusOf(handle);
            Check(path, status.Kind);
            NativeMethods.MakeBlocking(handle);
            long length = status.Kind == HostFileKind.Regular && status.Size is { } size ? size : SizeBySeeking(path, handle);
            return new ImageHostFile(new FileStream(handle, FileAccess.Read, bufferSize: 0), length, status.AllocatedBytes);
        }
        catch (IOException ex)
        {
            handle.Dispose();
            throw ImageErrors.OpenFailed(path, ex);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static long SizeBySeeking(string path, SafeFileHandle handle)
    {
        try
        {
            return NativeMethods.SeekSize(handle);
        }
        catch (IOException)
        {
            throw ImageErrors.NotARegularFile(path, "a file that cannot be seeked (a pipe, socket or terminal)");
        }
    }

    private static void Check(string path, HostFileKind kind)
    {
        if (kind == HostFileKind.Missing)
        {
            throw ImageErrors.NotFound(path);
        }

        if (Refusal(kind) is { } description)
        {
            throw ImageErrors.NotARegularFile(path, description);
        }
    }

    private static ImageHostFile OpenWithDotNet(string path)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.RandomAccess,
                BufferSize = 0,
            });
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw ImageErrors.NotFound(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ImageErrors.OpenFailed(path, ex);
        }

        if (!stream.CanSeek)
        {
            stream.Dispose();
            throw ImageErrors.NotARegularFile(path, "a file that cannot be seeked (a pipe, socket or terminal)");
        }

        return new ImageHostFile(stream, stream.Length, null);
    }
}
