using System.Text;
using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ImageBytes;

namespace Virt.Qemu.Tests.Images;

/// <summary>
/// Bounds that only an entry after the first can cross: a bitmap directory entry that starts inside the directory
/// but runs past its end, and the snapshot table's 64 MiB limit checked before each entry is read (QEMU checks it
/// after each entry, so an entry starting exactly at 64 MiB is still read, and one starting past it never is).
/// The base image is <see cref="ImageBytes.NativeOverlay"/> (file length 0x40000).
/// </summary>
public sealed class Qcow2LaterEntryBoundsTests
{
    private const int EndOfFile = 0x40000;
    private const string Invalid = "'img' is not a valid qcow2 image: ";

    private static string RefusedDetail(byte[] bytes)
    {
        var ex = Assert.Throws<VirtException>(() => Read(bytes));
        Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.ReadFailed));
        return ex.Detail!;
    }

    /// <summary>The base image with a bitmaps extension at 128 for <paramref name="count"/> bitmaps whose directory of
    /// <paramref name="directorySize"/> bytes lies at the end of the file.</summary>
    private static byte[] WithBitmaps(byte[] directory, uint count, int directorySize)
    {
        byte[] b = NativeOverlay();
        Array.Resize(ref b, EndOfFile + 0x10000);
        Array.Clear(b, 128, 528 - 128);
        U32(b, 128, 0x23852875);
        U32(b, 132, 24);
        U32(b, 136, count);
        U64(b, 144, (ulong)directorySize);
        U64(b, 152, EndOfFile);
        U64(b, 88, 1);
        directory.CopyTo(b, EndOfFile);
        return b;
    }

    /// <summary>A bitmap directory entry (24 fixed bytes, then the name), padded to 8 bytes when asked.</summary>
    private static byte[] BitmapEntry(string name, bool pad)
    {
        int length = 24 + name.Length;
        byte[] e = new byte[pad ? (length + 7) & ~7 : length];
        U64(e, 0, 0x50000);
        e[16] = 1;
        e[17] = 16;
        U16(e, 18, (ushort)name.Length);
        Encoding.ASCII.GetBytes(name).CopyTo(e, 24);
        return e;
    }

    /// <summary>The base image with a snapshot table at the end of the file: <paramref name="count"/> entries of exactly
    /// 64 KiB (40 fixed bytes and a name of 65496 letters), then one entry with 1025 bytes of extra data, which is
    /// refused by name whenever the reader gets to it.</summary>
    private static byte[] WithSnapshotsThenOneTooMuchExtraData(int count)
    {
        byte[] b = NativeOverlay();
        Array.Resize(ref b, EndOfFile + ((count + 1) * 65536));
        for (int i = 0; i < count; i++)
        {
            int at = EndOfFile + (i * 65536);
            U16(b, at + 14, 65496);
            b.AsSpan(at + 40, 65496).Fill((byte)'s');
        }

        U32(b, EndOfFile + (count * 65536) + 36, 1025);
        U32(b, 60, (uint)count + 1);
        U64(b, 64, EndOfFile);
        return b;
    }

    [Test]
    public void ABitmapEntryAfterTheFirstThatRunsOneBytePastTheDirectoryIsRefused()
    {
        byte[] first = BitmapEntry("first", pad: true);
        byte[] dir = [.. first, .. BitmapEntry("second", pad: false)];

        Assert.Multiple(() =>
        {
            Assert.That(Read(WithBitmaps(dir, 2, dir.Length)).Qcow2!.Bitmaps.Select(m => m.Name), Is.EqualTo(new[] { "first", "second" }));
            Assert.That(RefusedDetail(WithBitmaps(dir, 2, dir.Length - 1)), Is.EqualTo(Invalid + "bitmap directory entry runs past the end of the directory"));
        });
    }

    [Test]
    public void ASnapshotEntryStartingExactlyAt64MiBIsStillReadAndOneStartingPastItIsRefusedByTheLimit()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RefusedDetail(WithSnapshotsThenOneTooMuchExtraData(1024)), Is.EqualTo(Invalid + "snapshot table entry 1025 has 1025 bytes of extra data (QEMU allows at most 1024)"),
                "the entry at 64 MiB is read, as QEMU reads it before checking the table's size");
            Assert.That(RefusedDetail(WithSnapshotsThenOneTooMuchExtraData(1025)), Is.EqualTo(Invalid + "snapshot table is larger than QEMU's 64 MiB limit"),
                "the entry past 64 MiB is never read");
        });
    }
}
