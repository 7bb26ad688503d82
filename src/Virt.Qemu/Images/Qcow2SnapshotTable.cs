using System.Globalization;
using static Virt.Qemu.Images.ImageFileReader;

namespace Virt.Qemu.Images;

/// <summary>Reads the internal snapshot table (entries are 8-byte aligned and follow one another).</summary>
internal static class Qcow2SnapshotTable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static (IReadOnlyList<ImageSnapshotInfo> Snapshots, long TableLength) Read(
        ImageFileReader file, long tableOffset, int count, int clusterSize)
    {
        string path = file.Path;
        if (count == 0)
        {
            return ([], 0);
        }

        var list = new List<ImageSnapshotInfo>(Math.Min(count, 1024));
        long offset = tableOffset;
        for (int i = 0; i < count; i++)
        {
            offset = (offset + 7) & ~7L;
            if (offset - tableOffset > Qcow2Constants.MaxSnapshotTableBytes)
            {
                throw ImageErrors.Invalid(path, "snapshot table is larger than QEMU's 64 MiB limit");
            }

            string what = string.Create(Inv, $"snapshot table entry {i + 1}");
            byte[] fixedPart = file.Read(offset, Qcow2Constants.SnapshotFixedLength, what);
            ulong l1Offset = U64(fixedPart, 0);
            uint l1Size = U32(fixedPart, 8);
            ushort idSize = U16(fixedPart, 12);
            ushort nameSize = U16(fixedPart, 14);
            uint dateSec = U32(fixedPart, 16);
            uint dateNsec = U32(fixedPart, 20);
            ulong vmClock = U64(fixedPart, 24);
            uint vmState32 = U32(fixedPart, 32);
            uint extraSize = U32(fixedPart, 36);
            offset += Qcow2Constants.SnapshotFixedLength;

            if (extraSize > Qcow2Constants.MaxSnapshotExtraData)
            {
                throw ImageErrors.Invalid(path, string.Create(Inv, $"{what} has {extraSize} bytes of extra data (QEMU allows at most {Qcow2Constants.MaxSnapshotExtraData})"));
            }

            byte[] extra = file.Read(offset, extraSize, what + " extra data");
            offset += extraSize;
            byte[] id = file.Read(offset, idSize, what + " id");
            offset += idSize;
            byte[] name = file.Read(offset, nameSize, what + " name");
            offset += nameSize;

            long vmState = vmState32;
            long? diskSize = null;
            long? icount = null;
            if (extraSize >= 8)
            {
                vmState = CheckedLong(path, U64(extra, 0), what + " VM state size");
            }

            if (extraSize >= 16)
            {
                diskSize = CheckedLong(path, U64(extra, 8), what + " disk size");
            }

            if (extraSize >= 24)
            {
                ulong ic = U64(extra, 16);
                // QEMU keeps icount as a signed 64-bit number; all ones means "not recorded".
                icount = ic == ulong.MaxValue ? null : unchecked((long)ic);
            }

            if ((ulong)l1Size * 8 > Qcow2Constants.MaxL1SizeBytes)
            {
                throw ImageErrors.Invalid(path, string.Create(Inv, $"{what} has an L1 table that is too large ({l1Size} entries)"));
            }

            // An empty table's offset is not used, but it is reported (ImageSnapshotInfo.L1TableOffset), so it must fit.
            if ((l1Size > 0 && l1Offset % (ulong)clusterSize != 0) || l1Offset > long.MaxValue / 2)
            {
                throw ImageErrors.Invalid(path, string.Create(Inv, $"{what} has an invalid L1 table offset {l1Offset}"));
            }

            if (vmClock > long.MaxValue)
            {
                throw ImageErrors.Invalid(path, $"{what} has an invalid VM clock");
            }

            list.Add(new ImageSnapshotInfo
            {
                Id = Qcow2Reader.DecodeName(path, id, "snapshot id"),
                Name = Qcow2Reader.DecodeName(path, name, "snapshot name"),
                VmStateSize = vmState,
                DiskSize = diskSize,
                DateSeconds = dateSec,
                DateNanoseconds = dateNsec,
                VmClockNanoseconds = (long)vmClock,
                Icount = icount,
                L1TableOffset = (long)l1Offset,
                L1Size = (int)l1Size,
                ExtraDataSize = (int)extraSize,
            });
        }

        long length = offset - tableOffset;
        if (length > Qcow2Constants.MaxSnapshotTableBytes)
        {
            throw ImageErrors.Invalid(path, "snapshot table is larger than QEMU's 64 MiB limit");
        }

        return (list, length);
    }

    private static long CheckedLong(string path, ulong value, string what) =>
        value > long.MaxValue ? throw ImageErrors.Invalid(path, $"{what} is out of range") : (long)value;
}
