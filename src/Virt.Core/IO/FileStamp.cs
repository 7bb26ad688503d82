using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Virt.IO;

/// <summary>
/// What identifies one version of a file without reading it: device, inode, size, and the modification and change
/// times to the nanosecond (statx). A rewrite changes at least one of them, except within one tick of the file
/// system's clock; <see cref="IsSettled"/> tells when a stamp is old enough for that not to matter.
/// </summary>
internal readonly partial record struct FileStamp(ulong Device, ulong Inode, long Size, long ModifiedSeconds, uint ModifiedNanoseconds,
    long ChangedSeconds, uint ChangedNanoseconds)
{
    private const int AtFdCwd = -100;
    private const uint BasicStats = 0x7ff;
    private const int NoSuchFile = 2;
    private const int NotADirectory = 20;

    /// <summary>How old a change must be before two stamps that are equal can be trusted to mean the same content: well
    /// above the step of the kernel's file time clock (one scheduler tick, 1-10 ms), which a rewrite within the same step
    /// would not change.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(50);

    /// <summary>How old a change must be on a file system that keeps whole seconds only (both nanosecond fields 0).</summary>
    public static readonly TimeSpan CoarseSettleTime = TimeSpan.FromSeconds(2);

    /// <summary>The stamp of <paramref name="path"/>, or null when there is no such file.</summary>
    /// <exception cref="IOException">statx failed for another reason.</exception>
    public static FileStamp? Of(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (StatX(AtFdCwd, path, 0, BasicStats, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno is NoSuchFile or NotADirectory ? null : throw new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        // struct statx: stx_ino at 32, stx_size at 40, stx_ctime at 96, stx_mtime at 112 ({ s64 sec; u32 nsec; }),
        // stx_dev_major and stx_dev_minor at 136 and 140; the same on every Linux architecture.
        return new FileStamp(
            ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(buffer[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(buffer[140..]),
            BinaryPrimitives.ReadUInt64LittleEndian(buffer[32..]),
            BinaryPrimitives.ReadInt64LittleEndian(buffer[40..]),
            BinaryPrimitives.ReadInt64LittleEndian(buffer[112..]),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[120..]),
            BinaryPrimitives.ReadInt64LittleEndian(buffer[96..]),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[104..]));
    }

    /// <summary>As <see cref="Of"/>, but null also when statx fails for another reason: the caller then reads the file
    /// (or trusts nothing it remembers of it).</summary>
    public static FileStamp? TryOf(string path)
    {
        try
        {
            return Of(path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Whether the file last changed (content or inode) more than <see cref="SettleTime"/> before <paramref name="now"/>
    /// (<see cref="CoarseSettleTime"/> where the file system keeps whole seconds): any later rewrite then gets other
    /// times, so an equal stamp means the same content. Pass the time taken before the stamp was.</summary>
    public bool IsSettled(DateTimeOffset now)
    {
        bool coarse = ModifiedNanoseconds == 0 && ChangedNanoseconds == 0;
        long changed = Math.Max(Nanoseconds(ChangedSeconds, ChangedNanoseconds), Nanoseconds(ModifiedSeconds, ModifiedNanoseconds));
        long limit = ((now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) - (coarse ? CoarseSettleTime : SettleTime).Ticks) * 100;
        return changed < limit;
    }

    private static long Nanoseconds(long seconds, uint nanoseconds) => (seconds * 1_000_000_000) + nanoseconds;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatX(int dirFd, string path, int flags, uint mask, ref byte buffer);
}
