using System.Text;
using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ImageBytes;

namespace Virt.Qemu.Tests.Images;

/// <summary>
/// Every limit of the qcow2 reader as a pair: exactly at the limit the image is read, one past it is refused with
/// the reason. A limit tested only far from its edge lets an off-by-one through (an L1 table one entry short,
/// 1025 bytes of snapshot extra data, two tables sharing one byte).
/// The base image is <see cref="ImageBytes.NativeOverlay"/>: 64 KiB clusters, 1 GiB, extensions at 112..528,
/// backing name at 528, refcount table 0x10000 (1 cluster), refcount block 0x20000, L1 table 0x30000 (2 entries),
/// file length 0x40000.
/// </summary>
public sealed class Qcow2LimitPairTests
{
    private const int EndOfFile = 0x40000;
    private const string Invalid = "'img' is not a valid qcow2 image: ";

    private static byte[] Native(Action<byte[]> mutate, int length = EndOfFile)
    {
        byte[] b = NativeOverlay();
        if (length > b.Length)
        {
            Array.Resize(ref b, length);
        }

        mutate(b);
        return b;
    }

    private static string RefusedDetail(byte[] bytes)
    {
        var ex = Assert.Throws<VirtException>(() => Read(bytes));
        Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.ReadFailed));
        return ex.Detail!;
    }

    /// <summary>The image with a snapshot table at <paramref name="tableAt"/> holding one entry per item: no L1 table
    /// (unless given), an empty id, <c>Extra</c> zero bytes of extra data and a name of <c>Name</c> letters.</summary>
    private static byte[] WithSnapshots(IReadOnlyList<(int Extra, int Name)> entries, long tableAt = EndOfFile, (uint Size, long Offset)? l1 = null, long minLength = 0)
    {
        using var table = new MemoryStream();
        foreach (var (extra, name) in entries)
        {
            long aligned = (table.Length + 7) & ~7L;
            table.SetLength(aligned);
            table.Position = aligned;
            byte[] fixedPart = new byte[40];
            if (l1 is { } t)
            {
                U64(fixedPart, 0, (ulong)t.Offset);
                U32(fixedPart, 8, t.Size);
            }

            U16(fixedPart, 14, (ushort)name);
            U32(fixedPart, 36, (uint)extra);
            table.Write(fixedPart);
            table.Write(new byte[extra]);
            table.Write(Encoding.ASCII.GetBytes(new string('s', name)));
        }

        byte[] b = NativeOverlay();
        Array.Resize(ref b, (int)Math.Max(Math.Max(b.Length, tableAt + table.Length), minLength));
        table.ToArray().CopyTo(b, tableAt);
        U32(b, 60, (uint)entries.Count);
        U64(b, 64, (ulong)tableAt);
        return b;
    }

    [Test]
    public void ClusterSizesAtBothEndsOfTheRangeAreRead()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Read(NativeOverlay(clusterSize: 512)).ClusterSize, Is.EqualTo(512));
            Assert.That(Read(NativeOverlay(clusterSize: 2 << 20)).ClusterSize, Is.EqualTo(2 << 20));
        });
    }

    [Test]
    public void HeaderLengthFrom104ToTheClusterSizeIsReadAndOneStepOutsideIsRefused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Read(Native(b => U32(b, 100, 104))).Qcow2!.HeaderLength, Is.EqualTo(104));
            Assert.That(Read(Native(b => U32(b, 100, 65536))).Qcow2!.HeaderLength, Is.EqualTo(65536));
            Assert.That(RefusedDetail(Native(b => U32(b, 100, 96))), Is.EqualTo(Invalid + "header length 96 is invalid (it must be a multiple of 8 between 104 and the cluster size 65536)"));
            Assert.That(RefusedDetail(Native(b => U32(b, 100, 65544))), Is.EqualTo(Invalid + "header length 65544 is invalid (it must be a multiple of 8 between 104 and the cluster size 65536)"));
        });
    }

    [Test]
    public void RefcountOrderSixIsReadAndSevenIsRefused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Read(Native(b => U32(b, 96, 6))).Qcow2!.RefcountOrder, Is.EqualTo(6));
            Assert.That(RefusedDetail(Native(b => U32(b, 96, 7))), Is.EqualTo(Invalid + "refcount order 7 is too large (at most 6, 64-bit refcounts)"));
        });
    }

    [Test]
    public void ABackingNameOf1023BytesIsReadAnd1024IsRefused()
    {
        static void Name(byte[] b, int offset, int length)
        {
            U64(b, 8, (ulong)offset);
            U32(b, 16, (uint)length);
            b.AsSpan(offset, length).Fill((byte)'n');
        }

        Assert.Multiple(() =>
        {
            Assert.That(Read(Native(b => Name(b, 528, 1023))).BackingFilename, Is.EqualTo(new string('n', 1023)));
            Assert.That(RefusedDetail(Native(b => Name(b, 528, 1024))), Is.EqualTo(Invalid + "backing file name at offset 528 (1024 bytes) is too long or outside the first cluster"));
        });
    }

    [Test]
    public void ABackingNameEndingAtTheClusterEndIsReadAndOneBytePastIsRefused()
    {
        static byte[] NameAt(int offset) => Native(b =>
        {
            U64(b, 8, (ulong)offset);
            U32(b, 16, 100);
            b.AsSpan(offset, Math.Min(100, b.Length - offset)).Fill((byte)'n');
        });

        Assert.Multiple(() =>
        {
            Assert.That(Read(NameAt(65536 - 100)).BackingFilename, Is.EqualTo(new string('n', 100)));
            Assert.That(RefusedDetail(NameAt(65536 - 99)), Is.EqualTo(Invalid + "backing file name at offset 65437 (100 bytes) is too long or outside the first cluster"));
        });
    }

    [Test]
    public void AnExtensionFillingTheAreaUpToTheBackingNameIsReadAndOneByteMoreIsRefused()
    {
        // The feature-name table's header is at 128, its data at 136; the backing name (the area's end) at 528.
        Assert.Multiple(() =>
        {
            Assert.That(Read(Native(b => U32(b, 132, 528 - 136))).Qcow2!.FeatureNames, Has.Count.EqualTo(Read(NativeOverlay()).Qcow2!.FeatureNames.Count));
            Assert.That(RefusedDetail(Native(b => U32(b, 132, 528 - 136 + 1))), Is.EqualTo(Invalid + "header extension 0x6803f857 is too large (393 bytes at offset 136)"));
        });
    }

    [Test]
    public void ABackingFormatOf15BytesIsReadAnd16IsRefused()
    {
        static byte[] Format(string name) => Native(b =>
        {
            b.AsSpan(112, 528 - 112).Clear();
            U32(b, 112, Qcow2Constants.ExtBackingFormat);
            U32(b, 116, (uint)name.Length);
            Encoding.ASCII.GetBytes(name).CopyTo(b, 120);
        });

        Assert.Multiple(() =>
        {
            Assert.That(Read(Format("abcdefghijklmno")).BackingFormat, Is.EqualTo("abcdefghijklmno"));
            Assert.That(RefusedDetail(Format("abcdefghijklmnop")), Is.EqualTo(Invalid + "backing format extension is too long (16 bytes, at most 15)"));
        });
    }

    [Test]
    public void AnL1TableJustLargeEnoughForTheVirtualSizeIsReadAndOneEntryShortIsRefused()
    {
        // 64 KiB clusters: one L1 entry maps 512 MiB, so 1 GiB needs 2 entries and one byte more needs 3.
        Assert.Multiple(() =>
        {
            Assert.That(Read(NativeOverlay()).VirtualSize, Is.EqualTo(1L << 30));
            Assert.That(RefusedDetail(Native(b => U32(b, 36, 1))), Is.EqualTo(Invalid + "L1 table is too small (1 entries; the virtual size 1073741824 needs 2)"));
            Assert.That(RefusedDetail(Native(b => U64(b, 24, (1UL << 30) + 1))), Is.EqualTo(Invalid + "L1 table is too small (2 entries; the virtual size 1073741825 needs 3)"));
            Assert.That(Read(Native(b => { U64(b, 24, (1UL << 30) + 1); U32(b, 36, 3); }, EndOfFile + 8)).VirtualSize, Is.EqualTo((1L << 30) + 1));
        });
    }

    [Test]
    public void AnActiveL1TableOf32MiBIsReadAndOneEntryMoreIsRefused()
    {
        const int MaxEntries = 32 * 1024 * 1024 / 8;
        Assert.Multiple(() =>
        {
            Assert.That(Read(Native(b => U32(b, 36, MaxEntries), 0x30000 + (MaxEntries * 8))).Qcow2!.L1Size, Is.EqualTo(MaxEntries));
            Assert.That(RefusedDetail(Native(b => U32(b, 36, MaxEntries + 1), 0x30000 + ((MaxEntries + 1) * 8))), Is.EqualTo(Invalid + "active L1 table too large (4194305 entries; QEMU allows at most 4194304)"));
        });
    }

    [Test]
    public void ARefcountTableOf8MiBIsReadAndOneClusterMoreIsRefused()
    {
        static byte[] Table(uint clusters) => Native(b => { U64(b, 48, EndOfFile); U32(b, 56, clusters); }, EndOfFile + ((int)clusters * 65536));
        Assert.Multiple(() =>
        {
            Assert.That(Read(Table(128)).Qcow2!.RefcountTableClusters, Is.EqualTo(128));
            Assert.That(RefusedDetail(Table(129)), Is.EqualTo(Invalid + "refcount table too large (129 clusters)"));
        });
    }

    [Test]
    public void SnapshotExtraDataOf1024BytesIsReadAnd1025IsRefused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Read(WithSnapshots([(1024, 1)])).Snapshots.Single().ExtraDataSize, Is.EqualTo(1024));
            Assert.That(RefusedDetail(WithSnapshots([(1025, 1)])), Is.EqualTo(Invalid + "snapshot table entry 1 has 1025 bytes of extra data (QEMU allows at most 1024)"));
        });
    }

    [Test]
    public void A65536SnapshotTableIsReadAndOneSnapshotMoreIsRefused()
    {
        var entries = Enumerable.Repeat((0, 0), 65536).ToList();
        byte[] atLimit = WithSnapshots(entries);
        byte[] pastLimit = (byte[])atLimit.Clone();
        U32(pastLimit, 60, 65537);
        Assert.Multiple(() =>
        {
            Assert.That(Read(atLimit).Snapshots, Has.Count.EqualTo(65536));
            Assert.That(RefusedDetail(pastLimit), Is.EqualTo(Invalid + "snapshot count 65537 exceeds QEMU's limit of 65536"));
        });
    }

    [Test]
    public void ASnapshotTableOfExactly64MiBIsReadAndOneByteMoreIsRefused()
    {
        // 1024 entries of 40 + 65496 = 65536 bytes each.
        var entries = Enumerable.Repeat((0, 65496), 1024).ToList();
        byte[] atLimit = WithSnapshots(entries);
        entries[^1] = (0, 65497);
        byte[] pastLimit = WithSnapshots(entries);
        Assert.Multiple(() =>
        {
            Assert.That(Read(atLimit).Snapshots, Has.Count.EqualTo(1024));
            Assert.That(RefusedDetail(pastLimit), Is.EqualTo(Invalid + "snapshot table is larger than QEMU's 64 MiB limit"));
        });
    }

    [Test]
    public void ASnapshotL1TableOf32MiBIsReadAndOneEntryMoreIsRefused()
    {
        const uint MaxEntries = 32 * 1024 * 1024 / 8;
        const long L1At = EndOfFile + 65536;
        Assert.Multiple(() =>
        {
            Assert.That(Read(WithSnapshots([(0, 1)], l1: (MaxEntries, L1At), minLength: L1At + (MaxEntries * 8))).Snapshots.Single().L1Size, Is.EqualTo(MaxEntries));
            Assert.That(RefusedDetail(WithSnapshots([(0, 1)], l1: (MaxEntries + 1, L1At), minLength: L1At + ((MaxEntries + 1) * 8))), Is.EqualTo(Invalid + "snapshot table entry 1 has an L1 table that is too large (4194305 entries)"));
        });
    }

    [Test]
    public void ATableEndingWhereTheNextBeginsIsReadAndOneByteOfOverlapIsRefused()
    {
        // A snapshot table at 0x20000 of 40 + 65496 bytes ends exactly at the active L1 table (0x30000).
        Assert.Multiple(() =>
        {
            Assert.That(Read(WithSnapshots([(0, 65496)], tableAt: 0x20000)).Snapshots, Has.Count.EqualTo(1));
            Assert.That(RefusedDetail(WithSnapshots([(0, 65497)], tableAt: 0x20000)), Is.EqualTo(Invalid + "snapshot table at offset 131072 overlaps the active L1 table at offset 196608"));
        });
    }

    [Test]
    public void ATableEndingAtTheEndOfTheFileIsReadAndOneBytePastIsRefused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Read(NativeOverlay()[..(0x30000 + 16)]).Qcow2!.L1Size, Is.EqualTo(2));
            Assert.That(RefusedDetail(NativeOverlay()[..(0x30000 + 15)]), Is.EqualTo(Invalid + "active L1 table at offset 196608 (16 bytes) lies past the end of the file (196623 bytes); the image is truncated or damaged"));
        });
    }

    [Test]
    public void RegionsThatTouchAreAcceptedAndOneSharedByteIsRefused()
    {
        var regions = new Qcow2RegionSet("img", 100);
        regions.Add("a", 10, 10);
        regions.Add("b", 20, 10);
        regions.Add("c", 0, 10);
        regions.Add("d", 90, 10);
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<VirtException>(() => regions.Add("e", 29, 2))!.Detail, Is.EqualTo(Invalid + "e at offset 29 overlaps the b at offset 20"));
            Assert.That(Assert.Throws<VirtException>(() => regions.Add("f", 30, 1 + 60))!.Detail, Is.EqualTo(Invalid + "f at offset 30 overlaps the d at offset 90"));
            Assert.That(Assert.Throws<VirtException>(() => regions.Add("g", 9, 1))!.Detail, Is.EqualTo(Invalid + "g at offset 9 overlaps the c at offset 0"));
            Assert.That(Assert.Throws<VirtException>(() => new Qcow2RegionSet("img", 100).Add("h", 91, 10))!.Detail, Does.StartWith("'img' is not a valid qcow2 image: h at offset 91 (10 bytes) lies past the end of the file (100 bytes)"));
        });
    }
    [Test]
    public void AVirtualSizeOneClusterBelowTheLargestOffsetPassesTheSizeCheckAndOneMoreIsRefused()
    {
        const ulong AtLimit = long.MaxValue - 65536;

        Assert.Multiple(() =>
        {
            Assert.That(RefusedDetail(Native(b => U64(b, 24, AtLimit))), Does.StartWith(Invalid + "L1 table is too small (2 entries; the virtual size 9223372036854710271 needs "), "the size itself is taken; the L1 table is then too small for it");
            Assert.That(RefusedDetail(Native(b => U64(b, 24, AtLimit + 1))), Is.EqualTo(Invalid + "virtual size 9223372036854710272 is too large"));
        });
    }

    [Test]
    public void WithExtendedL2EntriesAnL1TableOfFourIsReadAndTheThreeOfAPlainImageAreRefused()
    {
        // Extended L2 entries are 16 bytes, so a 64 KiB L2 table maps half as much: 1 GiB needs 4 L1 entries, not 2.
        byte[] four = Native(b =>
        {
            U64(b, 72, 1UL << 4);
            U32(b, 36, 4);
        });
        byte[] three = Native(b =>
        {
            U64(b, 72, 1UL << 4);
            U32(b, 36, 3);
        });

        Assert.Multiple(() =>
        {
            Assert.That(Read(four).Qcow2!.L1Size, Is.EqualTo(4));
            Assert.That(RefusedDetail(three), Is.EqualTo(Invalid + "L1 table is too small (3 entries; the virtual size 1073741824 needs 4)"));
        });
    }

    [Test]
    public void ABackingNameEndingAtTheEndOfAShortFileIsReadAndOneBytePastIsRefused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RefusedDetail(NativeOverlay()[..538]), Does.Not.Contain("backing file name"), "the name, 528..538, is read; the tables after it are missing");
            Assert.That(RefusedDetail(NativeOverlay()[..537]), Is.EqualTo(Invalid + "backing file name at offset 528 (10 bytes) lies past the end of the file (537 bytes); the image is truncated or damaged"));
        });
    }
}
