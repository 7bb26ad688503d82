using System.Text;
using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ImageBytes;

namespace Virt.Qemu.Tests.Images;

/// <summary>
/// The persistent dirty bitmaps of a qcow2 image: the bitmaps header extension and the bitmap directory it points
/// to, read right (names, granularities, flags, entries with extra data) and refused with the reason when hostile,
/// each limit as a pair. The image is <see cref="ImageBytes.NativeOverlay"/> with its feature table replaced by a
/// bitmaps extension at 128 (data 136..160, end marker at 160) and the directory in the cluster at 0x40000.
/// </summary>
public sealed class Qcow2BitmapDirectoryTests
{
    private const int DirectoryAt = 0x40000;
    private const string Invalid = "'img' is not a valid qcow2 image: ";

    private static byte[] WithBitmaps(byte[] directory, uint count, long? directorySize = null, ulong directoryOffset = DirectoryAt,
        uint reserved = 0, uint extensionLength = 24, bool autoclear = true)
    {
        byte[] b = NativeOverlay();
        Array.Resize(ref b, DirectoryAt + Math.Max(0x10000, (directory.Length + 0xffff) & ~0xffff));
        U32(b, 128, 0x23852875);
        U32(b, 132, extensionLength);
        U32(b, 136, count);
        U32(b, 140, reserved);
        U64(b, 144, (ulong)(directorySize ?? directory.Length));
        U64(b, 152, directoryOffset);
        U64(b, 160, 0);
        U64(b, 88, autoclear ? 1UL : 0UL);
        directory.CopyTo(b, DirectoryAt);
        return b;
    }

    /// <summary>One directory entry: 24 fixed bytes, <paramref name="extra"/> bytes of extra data, the name, padded to 8
    /// unless <paramref name="pad"/> is false.</summary>
    private static byte[] Entry(string name, byte granularityBits = 16, uint flags = 0, byte type = 1, int extra = 0, bool pad = true)
    {
        byte[] n = Encoding.UTF8.GetBytes(name);
        int length = 24 + extra + n.Length;
        byte[] e = new byte[pad ? (length + 7) & ~7 : length];
        U64(e, 0, 0x50000);
        U32(e, 12, flags);
        e[16] = type;
        e[17] = granularityBits;
        U16(e, 18, (ushort)n.Length);
        U32(e, 20, (uint)extra);
        for (int i = 0; i < extra; i++)
        {
            e[24 + i] = (byte)'x';
        }

        n.CopyTo(e, 24 + extra);
        return e;
    }

    private static byte[] Directory(params byte[][] entries) => [.. entries.SelectMany(e => e)];

    private static string RefusedDetail(byte[] bytes)
    {
        var ex = Assert.Throws<VirtException>(() => Read(bytes));
        Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.ReadFailed));
        return ex.Detail!;
    }

    private static IReadOnlyList<Qcow2Bitmap> Bitmaps(byte[] bytes) => Read(bytes).Qcow2!.Bitmaps;

    [Test]
    public void BitmapsAreListedWithTheirNamesGranularitiesAndFlags()
    {
        byte[] dir = Directory(
            Entry("plain", granularityBits: 16),
            Entry("both", granularityBits: 9, flags: 3),
            Entry("with-extra", granularityBits: 31, flags: 2, extra: 5),
            Entry("busy", granularityBits: 20, flags: 1));

        IReadOnlyList<Qcow2Bitmap> bitmaps = Bitmaps(WithBitmaps(dir, 4));

        Assert.Multiple(() =>
        {
            Assert.That(bitmaps.Select(b => b.Name), Is.EqualTo(new[] { "plain", "both", "with-extra", "busy" }));
            Assert.That(bitmaps.Select(b => b.Granularity), Is.EqualTo(new[] { 65536L, 512L, 2147483648L, 1048576L }));
            Assert.That(bitmaps[0].Flags, Is.Empty);
            Assert.That(bitmaps[1].Flags, Is.EqualTo(new[] { "auto", "in-use" }));
            Assert.That(bitmaps[2].Flags, Is.EqualTo(new[] { "auto" }));
            Assert.That(bitmaps[3].Flags, Is.EqualTo(new[] { "in-use" }));
        });
    }

    [Test]
    public void WithoutTheAutoclearBitTheExtensionIsStaleAndNoBitmapIsListed()
    {
        // QEMU clears the autoclear bit when a program that does not know bitmaps wrote the image: the directory is
        // not trusted then, even when it is damaged.
        byte[] damaged = Directory(Entry("stale", type: 9));
        Assert.That(Bitmaps(WithBitmaps(damaged, 1, autoclear: false)), Is.Empty);
        Assert.That(RefusedDetail(WithBitmaps(damaged, 1)), Is.EqualTo(Invalid + "bitmap directory entry 1 has type 9 and granularity bits 16"));
    }

    [Test]
    public void AnExtensionOf24BytesIsReadAndOtherLengthsAreRefused()
    {
        byte[] dir = Directory(Entry("a"));
        Assert.Multiple(() =>
        {
            Assert.That(Bitmaps(WithBitmaps(dir, 1)).Single().Name, Is.EqualTo("a"));
            Assert.That(RefusedDetail(WithBitmaps(dir, 1, extensionLength: 16)), Is.EqualTo(Invalid + "bitmaps extension has length 16 (expected 24)"));
            Assert.That(RefusedDetail(WithBitmaps(dir, 1, extensionLength: 32)), Is.EqualTo(Invalid + "bitmaps extension has length 32 (expected 24)"));
        });
    }

    [Test]
    public void ANonZeroReservedFieldIsRefused()
    {
        Assert.That(RefusedDetail(WithBitmaps(Directory(Entry("a")), 1, reserved: 1)),
            Is.EqualTo(Invalid + "bitmaps extension has a non-zero reserved field"));
    }

    [Test]
    public void OneBitmapIsReadAndZeroIsRefused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Bitmaps(WithBitmaps(Directory(Entry("a")), 1)), Has.Count.EqualTo(1));
            Assert.That(RefusedDetail(WithBitmaps(Directory(Entry("a")), 0)), Is.EqualTo(Invalid + "bitmaps extension counts 0 bitmaps (1 to 65535 allowed)"));
        });
    }

    [Test]
    public void A65535BitmapDirectoryIsReadAndOneBitmapMoreIsRefused()
    {
        byte[] one = Entry("b", granularityBits: 12);
        byte[] dir = new byte[one.Length * 65536];
        for (int i = 0; i < 65536; i++)
        {
            one.CopyTo(dir, i * one.Length);
        }

        Assert.Multiple(() =>
        {
            IReadOnlyList<Qcow2Bitmap> bitmaps = Bitmaps(WithBitmaps(dir, 65535));
            Assert.That(bitmaps, Has.Count.EqualTo(65535));
            Assert.That(bitmaps[^1].Granularity, Is.EqualTo(4096));
            Assert.That(RefusedDetail(WithBitmaps(dir, 65536)), Is.EqualTo(Invalid + "bitmaps extension counts 65536 bitmaps (1 to 65535 allowed)"));
        });
    }

    [Test]
    public void ADirectoryOfTheMaximumSizeIsReadAndOneByteMoreIsRefused()
    {
        const long Max = 1024L * 65535;
        byte[] dir = new byte[Max];
        Entry("big").CopyTo(dir, 0);
        Assert.Multiple(() =>
        {
            Assert.That(Bitmaps(WithBitmaps(dir, 1)).Single().Name, Is.EqualTo("big"));
            Assert.That(RefusedDetail(WithBitmaps(dir, 1, directorySize: Max + 1)), Is.EqualTo(Invalid + "bitmap directory size 67107841 is invalid"));
            Assert.That(RefusedDetail(WithBitmaps(dir, 1, directorySize: 0)), Is.EqualTo(Invalid + "bitmap directory size 0 is invalid"));
        });
    }

    [Test]
    public void ADirectoryOffsetOffTheClusterGridOrWithTheTopBitSetIsRefused()
    {
        byte[] dir = Directory(Entry("a"));
        Assert.Multiple(() =>
        {
            Assert.That(RefusedDetail(WithBitmaps(dir, 1, directoryOffset: DirectoryAt + 512)), Is.EqualTo(Invalid + "bitmap directory offset 262656 is not aligned to the cluster size"));
            Assert.That(RefusedDetail(WithBitmaps(dir, 1, directoryOffset: 1UL << 63)), Is.EqualTo(Invalid + "bitmap directory offset 9223372036854775808 is not aligned to the cluster size"));
        });
    }

    [Test]
    public void ADirectoryOverlappingATableOrPastTheEndIsRefused()
    {
        byte[] dir = Directory(Entry("a"));
        Assert.Multiple(() =>
        {
            Assert.That(RefusedDetail(WithBitmaps(dir, 1, directoryOffset: 0x30000)), Is.EqualTo(Invalid + "bitmap directory at offset 196608 overlaps the active L1 table at offset 196608"));
            Assert.That(RefusedDetail(WithBitmaps(dir, 1, directoryOffset: 0x50000)), Is.EqualTo(Invalid + "bitmap directory at offset 327680 (32 bytes) lies past the end of the file (327680 bytes); the image is truncated or damaged"));
        });
    }

    [Test]
    public void AnEntryEndingAtTheDirectoryEndIsReadAndOneByteShortIsRefused()
    {
        byte[] dir = Entry("exact", pad: false);
        Assert.Multiple(() =>
        {
            Assert.That(Bitmaps(WithBitmaps(dir, 1)).Single().Name, Is.EqualTo("exact"));
            Assert.That(RefusedDetail(WithBitmaps(dir, 1, directorySize: dir.Length - 1)), Is.EqualTo(Invalid + "bitmap directory entry runs past the end of the directory"));
        });
    }

    [Test]
    public void ASecondEntryWhoseFixedPartFitsIsReadAndOneByteShortIsRefused()
    {
        // The first entry takes 32 bytes with its padding, the second has an empty name: 24 bytes.
        byte[] dir = Directory(Entry("first"), Entry("", pad: false));
        Assert.That(dir, Has.Length.EqualTo(56));
        Assert.Multiple(() =>
        {
            Assert.That(Bitmaps(WithBitmaps(dir, 2)).Select(b => b.Name), Is.EqualTo(new[] { "first", "" }));
            Assert.That(RefusedDetail(WithBitmaps(dir, 2, directorySize: 55)), Is.EqualTo(Invalid + "bitmap directory is shorter than its bitmap count says"));
            Assert.That(RefusedDetail(WithBitmaps(dir, 3)), Is.EqualTo(Invalid + "bitmap directory is shorter than its bitmap count says"));
        });
    }

    [Test]
    public void GranularityBitsFrom9To31AreReadAndOneStepOutsideIsRefused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Bitmaps(WithBitmaps(Entry("lo", granularityBits: 9), 1)).Single().Granularity, Is.EqualTo(512));
            Assert.That(Bitmaps(WithBitmaps(Entry("hi", granularityBits: 31), 1)).Single().Granularity, Is.EqualTo(1L << 31));
            Assert.That(RefusedDetail(WithBitmaps(Entry("lo", granularityBits: 8), 1)), Is.EqualTo(Invalid + "bitmap directory entry 1 has type 1 and granularity bits 8"));
            Assert.That(RefusedDetail(WithBitmaps(Entry("hi", granularityBits: 32), 1)), Is.EqualTo(Invalid + "bitmap directory entry 1 has type 1 and granularity bits 32"));
            Assert.That(RefusedDetail(WithBitmaps(Directory(Entry("ok"), Entry("bad", type: 0)), 2)), Is.EqualTo(Invalid + "bitmap directory entry 2 has type 0 and granularity bits 16"));
        });
    }

    [Test]
    public void ABitmapNameWithANulByteIsRefused()
    {
        Assert.That(RefusedDetail(WithBitmaps(Entry("a\0b"), 1)), Is.EqualTo(Invalid + "the bitmap name contains a NUL byte"));
    }
}
