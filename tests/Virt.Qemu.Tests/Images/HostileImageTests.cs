using System.Text;
using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ImageBytes;

namespace Virt.Qemu.Tests.Images;

/// <summary>Damaged and hostile headers end in a clear VirtException, never a crash, a huge allocation or a hang.</summary>
public sealed class HostileImageTests
{
    private static byte[] _snapshots = [];

    [OneTimeSetUp]
    public void LoadSamples() => _snapshots = FromQemuImg().Snapshots;

    private static void Refused(byte[] bytes, VirtErrorCode code, string detail)
    {
        var ex = Assert.Throws<VirtException>(() => Read(bytes));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(code));
            Assert.That(ex.Detail, Is.EqualTo(detail));
        });
    }

    private static byte[] Native(Action<byte[]> mutate)
    {
        byte[] b = NativeOverlay();
        mutate(b);
        return b;
    }

    [Test]
    public void UntouchedSampleReads()
    {
        ImageInfo info = Read(NativeOverlay());
        Assert.Multiple(() =>
        {
            Assert.That(info.BackingFilename, Is.EqualTo("base.qcow2"));
            Assert.That(info.Qcow2!.L1TableOffset, Is.EqualTo(0x30000));
            Assert.That(Read(_snapshots).Snapshots.Select(s => s.Name), Is.EqualTo(new[] { "one", "two" }));
        });
    }

    [Test]
    public void EmptyFileIsAnEmptyRawImageOrATruncatedQcow2()
    {
        Assert.That(Read([], null).VirtualSize, Is.Zero);
        Refused([], VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: qcow2 header at offset 0 (72 bytes) lies past the end of the file (0 bytes); the image is truncated or damaged");
    }

    [Test]
    public void TruncatedFilesAreRefused()
    {
        byte[] full = NativeOverlay();
        Assert.Multiple(() =>
        {
            Refused(full[..80], VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: qcow2 version 3 header at offset 0 (104 bytes) lies past the end of the file (80 bytes); the image is truncated or damaged");
            Refused(full[..300], VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: header extension 0x6803f857 at offset 136 (384 bytes) lies past the end of the file (300 bytes); the image is truncated or damaged");
            Refused(full[..0x30008], VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: active L1 table at offset 196608 (16 bytes) lies past the end of the file (196616 bytes); the image is truncated or damaged");
            Refused(full[..0x18000], VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: active L1 table at offset 196608 (16 bytes) lies past the end of the file (98304 bytes); the image is truncated or damaged");
        });
    }

    [Test]
    public void HeaderFieldsOutOfRangeAreRefused()
    {
        Assert.Multiple(() =>
        {
            Refused(Native(b => U32(b, 4, 1)), VirtErrorCode.ConfigUnsupported, "'img': qcow version 1 images are not supported; convert the image with qemu-img convert -O qcow2");
            Refused(Native(b => U32(b, 4, 7)), VirtErrorCode.ConfigUnsupported, "'img': qcow2 version 7 is not supported (only versions 2 and 3 are)");
            Refused(Native(b => U32(b, 20, 8)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: cluster bits 8 are outside the range QEMU supports (9 to 21, 512 B to 2 MiB clusters)");
            Refused(Native(b => U32(b, 20, 22)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: cluster bits 22 are outside the range QEMU supports (9 to 21, 512 B to 2 MiB clusters)");
            Refused(Native(b => U32(b, 100, 100)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: header length 100 is invalid (it must be a multiple of 8 between 104 and the cluster size 65536)");
            Refused(Native(b => U32(b, 100, 0x20000)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: header length 131072 is invalid (it must be a multiple of 8 between 104 and the cluster size 65536)");
            Refused(Native(b => U32(b, 96, 7)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: refcount order 7 is too large (at most 6, 64-bit refcounts)");
            Refused(Native(b => U64(b, 24, ulong.MaxValue)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: virtual size 18446744073709551615 is too large");
            Refused(Native(b => U32(b, 32, 1)), VirtErrorCode.ConfigUnsupported, "'img': the image is encrypted (AES); encrypted qcow2 images are not supported");
            Refused(Native(b => U32(b, 32, 2)), VirtErrorCode.ConfigUnsupported, "'img': the image is encrypted (LUKS); encrypted qcow2 images are not supported");
            Refused(Native(b => b[104] = 2), VirtErrorCode.ConfigUnsupported, "'img': unknown compression type 2");
            Refused(Native(b => b[104] = 1), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: the compression type is not zlib but the compression type incompatible feature bit is clear");
        });
    }

    [Test]
    public void TablesPastTheEndOrOverlappingAreRefused()
    {
        Assert.Multiple(() =>
        {
            Refused(Native(b => U32(b, 36, 0x1000000)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: active L1 table too large (16777216 entries; QEMU allows at most 4194304)");
            Refused(Native(b => U64(b, 24, 1L << 40)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: L1 table is too small (2 entries; the virtual size 1099511627776 needs 2048)");
            Refused(Native(b => U64(b, 40, 0x7fff0000)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: active L1 table at offset 2147418112 (16 bytes) lies past the end of the file (262144 bytes); the image is truncated or damaged");
            Refused(Native(b => U64(b, 40, 0x30008)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: active L1 table offset 196616 is invalid (not aligned to the cluster size)");
            Refused(Native(b => U64(b, 40, 0)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: active L1 table at offset 0 overlaps the header cluster at offset 0");
            Refused(Native(b => U64(b, 48, 0x30000)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: refcount table at offset 196608 overlaps the active L1 table at offset 196608");
            Refused(Native(b => U32(b, 56, 0)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: the image does not contain a refcount table");
            Refused(Native(b => U32(b, 56, uint.MaxValue)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: refcount table too large (4294967295 clusters)");
            Refused(Native(b => U64(b, 48, 0x10008)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: refcount table offset 65544 is invalid (not aligned to the cluster size)");
        });
    }

    [Test]
    public void HostileExtensionsAndBackingNamesAreRefused()
    {
        Assert.Multiple(() =>
        {
            Refused(Native(b => U32(b, 116, 0xfffffff0)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: header extension 0xe2792aca is too large (4294967280 bytes at offset 120)");
            Refused(Native(b => U32(b, 116, 40)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: backing format extension is too long (40 bytes, at most 15)");
            Refused(Native(b => U32(b, 16, 2000)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: backing file name at offset 528 (2000 bytes) is too long or outside the first cluster");
            Refused(Native(b => U64(b, 8, 0x20000)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: backing file offset 131072 lies past the first cluster (65536 bytes)");
            Refused(Native(b => b[530] = 0xff), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: the backing file name is not valid UTF-8");
            Refused(Native(b => b[530] = 0), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: the backing file name contains a NUL byte");
            Refused(Native(b => b[528] = 0), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: the backing file name contains a NUL byte");
        });
    }

    [Test]
    public void UnknownIncompatibleFeaturesAreRefusedWithTheirNames()
    {
        // Rename the feature table's first entry (incompatible bit 0, "dirty bit") to describe bit 5.
        byte[] named = Native(b =>
        {
            b[136 + 1] = 5;
            Encoding.ASCII.GetBytes("future feature\0\0\0\0\0").CopyTo(b, 136 + 2);
            U64(b, 72, 1UL << 5);
        });
        Assert.Multiple(() =>
        {
            Refused(named, VirtErrorCode.ConfigUnsupported, "'img': Unsupported qcow2 feature(s): future feature; this image needs a newer QEMU");
            Refused(Native(b => U64(b, 72, (1UL << 40) | (1UL << 6))), VirtErrorCode.ConfigUnsupported,
                "'img': Unsupported qcow2 feature(s): Unknown incompatible feature: 40, Unknown incompatible feature: 10000000000; this image needs a newer QEMU");
        });
    }

    [Test]
    public void DirtyCorruptAndUnknownCompatibleBitsAreReported()
    {
        ImageInfo info = Read(Native(b => U64(b, 72, 3)));
        ImageInfo compatible = Read(Native(b => U64(b, 80, 1UL << 9)));
        Assert.Multiple(() =>
        {
            Assert.That(info.DirtyFlag, Is.True);
            Assert.That(info.Qcow2!.Corrupt, Is.True);
            Assert.That(compatible.Qcow2!.CompatibleFeatures, Is.EqualTo(1UL << 9));
            Assert.That(ImageFormatter.InfoText(info), Does.Contain("cleanly shut down: no\n").And.Contain("    corrupt: true\n"));
        });
    }

    [Test]
    public void HostileSnapshotTablesAreRefused()
    {
        ImageInfo good = Read(_snapshots);
        int table = (int)good.Qcow2!.SnapshotsOffset;
        byte[] Snap(Action<byte[]> m)
        {
            byte[] b = (byte[])_snapshots.Clone();
            m(b);
            return b;
        }

        Assert.Multiple(() =>
        {
            Refused(Snap(b => U32(b, 60, 70000)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: snapshot count 70000 exceeds QEMU's limit of 65536");
            Refused(Snap(b => U32(b, 60, 65536)), VirtErrorCode.ReadFailed, $"'img' is not a valid qcow2 image: snapshot table entry 3 at offset {table + 72 * 2} (40 bytes) lies past the end of the file ({_snapshots.Length} bytes); the image is truncated or damaged");
            Refused(Snap(b => U32(b, table + 36, 5000)), VirtErrorCode.ReadFailed, "'img' is not a valid qcow2 image: snapshot table entry 1 has 5000 bytes of extra data (QEMU allows at most 1024)");
            Refused(Snap(b => U16(b, table + 14, 65535)), VirtErrorCode.ReadFailed, $"'img' is not a valid qcow2 image: snapshot table entry 1 name at offset {table + 40 + 24 + 1} (65535 bytes) lies past the end of the file ({_snapshots.Length} bytes); the image is truncated or damaged");
            Refused(Snap(b => U64(b, 64, (ulong)good.Qcow2.L1TableOffset)), VirtErrorCode.ReadFailed, $"'img' is not a valid qcow2 image: snapshot table at offset {good.Qcow2.L1TableOffset} overlaps the active L1 table at offset {good.Qcow2.L1TableOffset}");
            Refused(Snap(b => U64(b, table, (ulong)good.Qcow2.L1TableOffset)), VirtErrorCode.ReadFailed, $"'img' is not a valid qcow2 image: L1 table of snapshot '1' at offset {good.Qcow2.L1TableOffset} overlaps the active L1 table at offset {good.Qcow2.L1TableOffset}");
            Refused(Snap(b => U64(b, table, 0x7fff_ffff_0000)), VirtErrorCode.ReadFailed, $"'img' is not a valid qcow2 image: L1 table of snapshot '1' at offset {0x7fff_ffff_0000L} (256 bytes) lies past the end of the file ({_snapshots.Length} bytes); the image is truncated or damaged");
            Refused(Snap(b => U64(b, 64, 0x7fff_ffff_0000)), VirtErrorCode.ReadFailed, $"'img' is not a valid qcow2 image: snapshot table entry 1 at offset {0x7fff_ffff_0000L} (40 bytes) lies past the end of the file ({_snapshots.Length} bytes); the image is truncated or damaged");
        });
    }

    [Test]
    public void SnapshotTableOffsetWithTheTopBitSetIsRefusedAndPrintedUnsigned()
    {
        // qemu-img: "Could not open 'x': Snapshot table offset invalid", whether or not the image has snapshots.
        const ulong Hostile = 0xFFFF_FFFF_FFFF_0000;
        const string Detail = "'img' is not a valid qcow2 image: snapshot table offset 18446744073709486080 is invalid";
        byte[] withSnapshots = (byte[])_snapshots.Clone();
        U64(withSnapshots, 64, Hostile);
        Assert.Multiple(() =>
        {
            Refused(withSnapshots, VirtErrorCode.ReadFailed, Detail);
            Refused(Native(b => U64(b, 64, Hostile)), VirtErrorCode.ReadFailed, Detail);
        });
    }

    [Test]
    public void SnapshotL1OffsetWithTheTopBitSetIsRefusedAndPrintedUnsigned()
    {
        const ulong Hostile = 0xFFFF_FFFF_FFFF_0000;
        int table = (int)Read(_snapshots).Qcow2!.SnapshotsOffset;
        byte[] Entry(uint l1Size)
        {
            byte[] b = (byte[])_snapshots.Clone();
            U64(b, table, Hostile);
            U32(b, table + 8, l1Size);
            return b;
        }

        const string Detail = "'img' is not a valid qcow2 image: snapshot table entry 1 has an invalid L1 table offset 18446744073709486080";
        Assert.Multiple(() =>
        {
            Refused(Entry(1), VirtErrorCode.ReadFailed, Detail);
            Refused(Entry(0), VirtErrorCode.ReadFailed, Detail);
        });
    }
}
