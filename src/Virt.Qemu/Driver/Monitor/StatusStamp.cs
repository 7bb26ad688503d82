using System.Runtime.InteropServices;

namespace Virt.Qemu.Driver.Monitor;

/// <summary>
/// What tells one version of <c>status.json</c> from another without reading it: its inode (every atomic write
/// renames a new file into place), size and modification and change times, from one <c>statx</c> call.
/// </summary>
internal readonly partial record struct StatusStamp(ulong Inode, long Size, long ModifiedSeconds, uint ModifiedNanoseconds, long ChangedSeconds, uint ChangedNanoseconds)
{
    private const int AtFdCwd = -100;
    private const uint StatXIno = 0x100;
    private const uint StatXSize = 0x200;
    private const uint StatXMtime = 0x40;
    private const uint StatXCtime = 0x80;
    private const uint Wanted = StatXIno | StatXSize | StatXMtime | StatXCtime;

    /// <summary>The stamp of the file at <paramref name="path"/>, or null when it does not exist or cannot be told.</summary>
    public static StatusStamp? Of(string path)
    {
        // struct statx: stx_mask u32 @0, stx_ino u64 @32, stx_size u64 @40, stx_ctime @96, stx_mtime @112
        // (each a statx_timestamp: tv_sec s64, tv_nsec u32).
        Span<byte> buffer = stackalloc byte[256];
        try
        {
            if (StatX(AtFdCwd, path, 0, Wanted, buffer) != 0)
            {
                return null;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }

        if ((MemoryMarshal.Read<uint>(buffer) & Wanted) != Wanted)
        {
            return null;
        }

        return new StatusStamp(MemoryMarshal.Read<ulong>(buffer[32..]), MemoryMarshal.Read<long>(buffer[40..]),
            MemoryMarshal.Read<long>(buffer[112..]), MemoryMarshal.Read<uint>(buffer[120..]),
            MemoryMarshal.Read<long>(buffer[96..]), MemoryMarshal.Read<uint>(buffer[104..]));
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatX(int dirFd, string path, int flags, uint mask, Span<byte> buffer);
}
