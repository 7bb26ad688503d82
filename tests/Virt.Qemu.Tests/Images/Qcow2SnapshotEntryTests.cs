using System.Text;
using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ImageBytes;

namespace Virt.Qemu.Tests.Images;

/// <summary>
/// Each field of a qcow2 snapshot table entry read right, in memory and without qemu-img: the id, name, dates, VM
/// clock and L1 table, and the extra data QEMU added over time (8 bytes: 64-bit VM state size, 16: disk size,
/// 24: icount), with out-of-range values refused. The table sits at 0x40000 after <see cref="ImageBytes.NativeOverlay"/>.
/// </summary>
public sealed class Qcow2SnapshotEntryTests
{
    private const int TableAt = 0x40000;
    private const string Invalid = "'img' is not a valid qcow2 image: ";

    private sealed record Entry(string Id, string Name)
    {
        public ulong L1Offset { get; init; }

        public uint L1Size { get; init; }

        public uint DateSeconds { get; init; }

        public uint DateNanoseconds { get; init; }

        public ulong VmClock { get; init; }

        public uint VmState32 { get; init; }

        public ulong[] Extra { get; init; } = [];

        public byte[] Bytes()
        {
            byte[] id = Encoding.UTF8.GetBytes(Id);
            byte[] name = Encoding.UTF8.GetBytes(Name);
            byte[] e = new byte[40 + (Extra.Length * 8) + id.Length + name.Length];
            U64(e, 0, L1Offset);
            U32(e, 8, L1Size);
            U16(e, 12, (ushort)id.Length);
            U16(e, 14, (ushort)name.Length);
            U32(e, 16, DateSeconds);
            U32(e, 20, DateNanoseconds);
            U64(e, 24, VmClock);
            U32(e, 32, VmState32);
            U32(e, 36, (uint)(Extra.Length * 8));
            for (int i = 0; i < Extra.Length; i++)
            {
                U64(e, 40 + (i * 8), Extra[i]);
            }

            id.CopyTo(e, 40 + (Extra.Length * 8));
            name.CopyTo(e, 40 + (Extra.Length * 8) + id.Length);
            return e;
        }
    }

    private static byte[] WithTable(params Entry[] entries)
    {
        var table = new List<byte>();
        foreach (Entry entry in entries)
        {
            while (table.Count % 8 != 0)
            {
                table.Add(0xee);
            }

            table.AddRange(entry.Bytes());
        }

        byte[] b = NativeOverlay();
        Array.Resize(ref b, TableAt + 0x20000);
        table.ToArray().CopyTo(b, TableAt);
        U32(b, 60, (uint)entries.Length);
        U64(b, 64, TableAt);
        return b;
    }

    private static string RefusedDetail(byte[] bytes)
    {
        var ex = Assert.Throws<VirtException>(() => Read(bytes));
        Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.ReadFailed));
        return ex.Detail!;
    }

    [Test]
    public void EveryFieldOfAnEntryWithTheFullExtraDataIsRead()
    {
        var entry = new Entry("7", "before-upgrade")
        {
            L1Offset = 0x50000,
            L1Size = 2,
            DateSeconds = 1_700_000_000,
            DateNanoseconds = 123_456_789,
            VmClock = 98_765_432_100,
            VmState32 = 11,
            Extra = [5_000_000_000, 1L << 30, 424242],
        };

        ImageSnapshotInfo s = Read(WithTable(entry)).Snapshots.Single();

        Assert.Multiple(() =>
        {
            Assert.That(s.Id, Is.EqualTo("7"));
            Assert.That(s.Name, Is.EqualTo("before-upgrade"));
            Assert.That(s.L1TableOffset, Is.EqualTo(0x50000));
            Assert.That(s.L1Size, Is.EqualTo(2));
            Assert.That(s.DateSeconds, Is.EqualTo(1_700_000_000));
            Assert.That(s.DateNanoseconds, Is.EqualTo(123_456_789));
            Assert.That(s.VmClockNanoseconds, Is.EqualTo(98_765_432_100));
            Assert.That(s.VmStateSize, Is.EqualTo(5_000_000_000), "the 64-bit size in the extra data wins over the 32-bit field");
            Assert.That(s.DiskSize, Is.EqualTo(1L << 30));
            Assert.That(s.Icount, Is.EqualTo(424242));
            Assert.That(s.ExtraDataSize, Is.EqualTo(24));
        });
    }

    [Test]
    public void OlderEntriesWithLessExtraDataReportOnlyWhatTheyRecord()
    {
        byte[] image = WithTable(
            new Entry("1", "v2") { VmState32 = 4096 },
            new Entry("2", "eight") { VmState32 = 1, Extra = [8192] },
            new Entry("3", "sixteen") { VmState32 = 1, Extra = [8192, 1L << 20] },
            new Entry("4", "no-icount") { Extra = [0, 1L << 20, ulong.MaxValue] },
            new Entry("5", "negative-icount") { Extra = [0, 1L << 20, 0x8000000000000000] });

        IReadOnlyList<ImageSnapshotInfo> s = Read(image).Snapshots;

        Assert.Multiple(() =>
        {
            Assert.That(s.Select(x => x.Name), Is.EqualTo(new[] { "v2", "eight", "sixteen", "no-icount", "negative-icount" }));
            Assert.That(s.Select(x => x.VmStateSize), Is.EqualTo(new[] { 4096L, 8192, 8192, 0, 0 }));
            Assert.That(s.Select(x => x.DiskSize), Is.EqualTo(new long?[] { null, null, 1L << 20, 1L << 20, 1L << 20 }));
            Assert.That(s.Select(x => x.Icount), Is.EqualTo(new long?[] { null, null, null, null, long.MinValue }));
        });
    }

    [Test]
    public void AVmClockAtTheLargestSignedValueIsReadAndOneMoreIsRefused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Read(WithTable(new Entry("1", "a") { VmClock = long.MaxValue })).Snapshots.Single().VmClockNanoseconds, Is.EqualTo(long.MaxValue));
            Assert.That(RefusedDetail(WithTable(new Entry("1", "a") { VmClock = 1UL << 63 })), Is.EqualTo(Invalid + "snapshot table entry 1 has an invalid VM clock"));
        });
    }

    [Test]
    public void SizesInTheExtraDataAtTheLargestSignedValueAreReadAndOneMoreIsRefused()
    {
        Assert.Multiple(() =>
        {
            ImageSnapshotInfo s = Read(WithTable(new Entry("1", "a") { Extra = [long.MaxValue, long.MaxValue] })).Snapshots.Single();
            Assert.That((s.VmStateSize, s.DiskSize), Is.EqualTo((long.MaxValue, (long?)long.MaxValue)));
            Assert.That(RefusedDetail(WithTable(new Entry("1", "a"), new Entry("2", "b") { Extra = [1UL << 63] })),
                Is.EqualTo(Invalid + "snapshot table entry 2 VM state size is out of range"));
            Assert.That(RefusedDetail(WithTable(new Entry("1", "a") { Extra = [0, 1UL << 63] })),
                Is.EqualTo(Invalid + "snapshot table entry 1 disk size is out of range"));
        });
    }

    [Test]
    public void AnEmptyL1TableMayHaveAnyOffsetThatFitsButAUsedOneMustBeAligned()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Read(WithTable(new Entry("1", "a") { L1Offset = 0x123 })).Snapshots.Single().L1TableOffset, Is.EqualTo(0x123));
            Assert.That(RefusedDetail(WithTable(new Entry("1", "a") { L1Offset = 0x50200, L1Size = 1 })),
                Is.EqualTo(Invalid + "snapshot table entry 1 has an invalid L1 table offset 328192"));
            Assert.That(RefusedDetail(WithTable(new Entry("1", "a") { L1Offset = 1UL << 63 })),
                Is.EqualTo(Invalid + "snapshot table entry 1 has an invalid L1 table offset 9223372036854775808"));
        });
    }

    [Test]
    public void EntriesFollowOneAnotherOnEightByteBoundaries()
    {
        // Entry sizes 40 + 1 + 2 = 43 and 40 + 3 + 4 = 47: each next entry starts at the following multiple of 8.
        IReadOnlyList<ImageSnapshotInfo> s = Read(WithTable(new Entry("1", "ab"), new Entry("234", "cdef"), new Entry("5", "g"))).Snapshots;
        Assert.That(s.Select(x => (x.Id, x.Name)), Is.EqualTo(new[] { ("1", "ab"), ("234", "cdef"), ("5", "g") }));
    }

    [Test]
    public void ASnapshotTableIsNeededOnlyWhenThereAreSnapshots()
    {
        byte[] none = NativeOverlay();
        U64(none, 64, 0x123);
        byte[] unaligned = WithTable(new Entry("1", "a"));
        U64(unaligned, 64, TableAt + 8);
        Assert.Multiple(() =>
        {
            Assert.That(Read(none).Snapshots, Is.Empty, "an unaligned offset is ignored without snapshots");
            Assert.That(RefusedDetail(unaligned), Is.EqualTo(Invalid + "snapshot table offset 262152 is not aligned to the cluster size"));
        });
    }

    [Test]
    public void ASnapshotTableOrASnapshotL1TableOverlappingTheActiveL1TableIsRefused()
    {
        byte[] table = WithTable(new Entry("1", "a"));
        U64(table, 64, 0x30000);
        Assert.Multiple(() =>
        {
            Assert.That(RefusedDetail(table), Is.EqualTo(Invalid + "snapshot table at offset 196608 overlaps the active L1 table at offset 196608"));
            Assert.That(RefusedDetail(WithTable(new Entry("1", "a") { L1Offset = 0x30000, L1Size = 2 })),
                Is.EqualTo(Invalid + "L1 table of snapshot '1' at offset 196608 overlaps the active L1 table at offset 196608"));
            Assert.That(Read(WithTable(new Entry("1", "a") { L1Offset = 0x50000, L1Size = 2 })).Snapshots.Single().L1Size, Is.EqualTo(2));
        });
    }
}
