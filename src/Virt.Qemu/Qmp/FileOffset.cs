using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Virt.Qemu.Qmp;

/// <summary>
/// The kernel's current offset of an open file (<c>lseek(fd, 0, SEEK_CUR)</c>). A descriptor passed to QEMU shares
/// its open file description with ours, so this is how far QEMU has read or written.
/// </summary>
internal static partial class FileOffset
{
    private const int SeekCurrent = 1;

    /// <summary>The offset, or null when it cannot be read.</summary>
    public static long? Of(SafeFileHandle file)
    {
        bool added = false;
        file.DangerousAddRef(ref added);
        try
        {
            long offset = Seek((int)file.DangerousGetHandle(), 0, SeekCurrent);
            return offset < 0 ? null : offset;
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "lseek")]
    private static partial long Seek(int fd, long offset, int whence);
}
