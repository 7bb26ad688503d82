using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Virt.Qemu.Images;

/// <summary>What a new qcow2 image should look like, already validated.</summary>
internal sealed record Qcow2CreateSpec(
    long Size,
    int ClusterSize,
    int Version,
    bool LazyRefcounts,
    bool ExtendedL2,
    bool Zstd,
    int RefcountBits,
    string? BackingName,
    string? BackingFormat);

/// <summary>
/// Lays out and writes an empty qcow2 image: header cluster (header, extensions, backing file name),
/// refcount table, refcount blocks and a zeroed L1 table, each cluster counted once in the refcounts.
/// </summary>
internal static class Qcow2Writer
{
    private static readonly (byte Kind, byte Bit, string Name)[] FeatureTable =
    [
        (0, 0, "dirty bit"), (0, 1, "corrupt bit"), (0, 2, "external data file"), (0, 3, "compression type"),
        (0, 4, "extended L2 entries"), (1, 0, "lazy refcounts"), (2, 0, "bitmaps"), (2, 1, "raw external data"),
    ];

    /// <summary>Checks the options and size and turns them into a spec; throws InvalidArg with what to change.</summary>
    public static Qcow2CreateSpec Plan(long size, ImageCreateOptions o, string? backingName, string? backingFormat)
    {
        var inv = CultureInfo.InvariantCulture;
        if (size < 0)
        {
            throw ImageErrors.InvalidArg("image size must not be negative");
        }

        const UnixFileMode PermissionBits = (UnixFileMode)0x1FF;
        if ((o.Permissions & ~PermissionBits) != 0 || (o.Permissions & UnixFileMode.UserRead) == 0)
        {
            throw ImageErrors.InvalidArg(string.Create(inv, $"permissions {System.Convert.ToString((int)o.Permissions, 8)} are invalid: use read/write/execute bits (0777 at most) that include owner read"));
        }

        int cs = o.ClusterSize;
        if (cs < 512 || cs > 2 * 1024 * 1024 || !BitOperations.IsPow2(cs))
        {
            throw ImageErrors.InvalidArg(string.Create(inv, $"cluster size {cs} is invalid: it must be a power of two between 512 and 2097152 (2 MiB)"));
        }

        int version = o.Compat switch
        {
            "1.1" or "v3" => 3,
            "0.10" or "v2" => 2,
            _ => throw ImageErrors.InvalidArg($"compat '{o.Compat}' is invalid: use 1.1 or 0.10"),
        };

        bool zstd = o.CompressionType switch
        {
            "zlib" => false,
            "zstd" => true,
            _ => throw ImageErrors.InvalidArg($"compression type '{o.CompressionType}' is invalid: use zlib or zstd"),
        };

        if (o.RefcountBits is < 1 or > 64 || !BitOperations.IsPow2(o.RefcountBits))
        {
            throw ImageErrors.InvalidArg(string.Create(inv, $"refcount bits {o.RefcountBits} is invalid: it must be a power of two from 1 to 64"));
        }

        if (version == 2 && (o.LazyRefcounts || o.ExtendedL2 || zstd || o.RefcountBits != 16))
        {
            throw ImageErrors.InvalidArg("lazy refcounts, extended L2, zstd compression and refcount widths other than 16 need compat 1.1");
        }

        if (o.ExtendedL2 && cs < 16384)
        {
            throw ImageErrors.InvalidArg("extended L2 entries need a cluster size of at least 16384 bytes");
        }

        long rounded = size > long.MaxValue - 511 ? -1 : (size + 511) & ~511L;
        var spec = new Qcow2CreateSpec(rounded, cs, version, o.LazyRefcounts, o.ExtendedL2, zstd, o.RefcountBits, backingName, backingFormat);
        long l1 = L1Entries(spec);
        if (rounded < 0 || l1 < 0 || l1 * 8 > Qcow2Constants.MaxL1SizeBytes)
        {
            throw ImageErrors.InvalidArg(string.Create(inv, $"image size {size} is too large for cluster size {cs}; use a larger cluster size"));
        }

        if (backingName is not null && Encoding.UTF8.GetByteCount(backingName) > Qcow2Constants.MaxBackingFileNameLength)
        {
            throw ImageErrors.InvalidArg("backing file name is longer than 1023 bytes");
        }

        if (backingFormat is not null && Encoding.UTF8.GetByteCount(backingFormat) > 15)
        {
            throw ImageErrors.InvalidArg("backing format name is longer than 15 bytes");
        }

        _ = HeaderCluster(spec, 0, 0, 0, 0); // throws when the backing name does not fit
        return spec;
    }

    public static void Write(Stream stream, Qcow2CreateSpec spec)
    {
        int cs = spec.ClusterSize;
        long l1Entries = L1Entries(spec);
        long l1Clusters = (l1Entries * 8 + cs - 1) / cs;
        long perBlock = (long)cs * 8 / spec.RefcountBits;
        long rt = 1, rb = 1;
        while (true)
        {
            long total = 1 + rt + rb + l1Clusters;
            long newRb = (total + perBlock - 1) / perBlock;
            long newRt = (newRb * 8 + cs - 1) / cs;
            if (newRb == rb && newRt == rt)
            {
                break;
            }

            rb = Math.Max(rb, newRb);
            rt = Math.Max(rt, newRt);
        }

        long clusters = 1 + rt + rb + l1Clusters;
        long rtOffset = cs;
        long rbOffset = rtOffset + rt * cs;
        long l1Offset = rbOffset + rb * cs;

        stream.SetLength(clusters * cs);
        stream.Position = 0;
        stream.Write(HeaderCluster(spec, l1Entries, l1Offset, rtOffset, rt));

        byte[] table = new byte[rt * cs];
        for (long i = 0; i < rb; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(table.AsSpan((int)(i * 8)), rbOffset + i * cs);
        }

        stream.Position = rtOffset;
        stream.Write(table);

        byte[] block = new byte[cs];
        for (long b = 0; b < rb; b++)
        {
            Array.Clear(block);
            for (long i = 0; i < perBlock; i++)
            {
                long cluster = b * perBlock + i;
                if (cluster >= clusters)
                {
                    break;
                }

                SetRefcount(block, i, spec.RefcountBits, 1);
            }

            stream.Position = rbOffset + b * cs;
            stream.Write(block);
        }
    }

    private static long L1Entries(Qcow2CreateSpec spec)
    {
        long l2Entries = spec.ClusterSize / (spec.ExtendedL2 ? 16 : 8);
        long perL1 = spec.ClusterSize * l2Entries;
        return spec.Size < 0 ? -1 : (spec.Size / perL1) + (spec.Size % perL1 == 0 ? 0 : 1);
    }

    private static void SetRefcount(byte[] block, long index, int bits, ulong value)
    {
        if (bits >= 8)
        {
            int bytes = bits / 8;
            int at = (int)(index * bytes);
            for (int k = bytes - 1; k >= 0; k--)
            {
                block[at + k] = (byte)value;
                value >>= 8;
            }

            return;
        }

        int perByte = 8 / bits;
        int shift = (int)(index % perByte) * bits;
        block[index / perByte] |= (byte)(value << shift);
    }

    private static byte[] HeaderCluster(Qcow2CreateSpec spec, long l1Entries, long l1Offset, long rtOffset, long rtClusters)
    {
        int cs = spec.ClusterSize;
        int headerLength = spec.Version == 3 ? Qcow2Constants.V3HeaderLengthWritten : Qcow2Constants.V2HeaderLength;
        byte[] name = spec.BackingName is null ? [] : Encoding.UTF8.GetBytes(spec.BackingName);
        byte[] format = spec.BackingFormat is null ? [] : Encoding.UTF8.GetBytes(spec.BackingFormat);
        int formatExt = spec.BackingFormat is null ? 0 : 8 + Pad8(format.Length);
        int featureExt = 8 + Pad8(FeatureTable.Length * Qcow2Constants.FeatureNameEntryLength);
        int withoutFeatures = headerLength + formatExt + 8 + name.Length;
        if (withoutFeatures > cs)
        {
            throw ImageErrors.InvalidArg(string.Create(CultureInfo.InvariantCulture, $"backing file name does not fit in a {cs}-byte header cluster; use a larger cluster size or a shorter name"));
        }

        bool writeFeatures = spec.Version == 3 && withoutFeatures + featureExt <= cs;
        byte[] h = new byte[cs];
        Span<byte> s = h;
        BinaryPrimitives.WriteUInt32BigEndian(s, Qcow2Constants.Magic);
        BinaryPrimitives.WriteUInt32BigEndian(s[4..], (uint)spec.Version);
        BinaryPrimitives.WriteUInt32BigEndian(s[20..], (uint)BitOperations.Log2((uint)cs));
        BinaryPrimitives.WriteInt64BigEndian(s[24..], spec.Size);
        BinaryPrimitives.WriteUInt32BigEndian(s[36..], (uint)l1Entries);
        BinaryPrimitives.WriteInt64BigEndian(s[40..], l1Offset);
        BinaryPrimitives.WriteInt64BigEndian(s[48..], rtOffset);
        BinaryPrimitives.WriteUInt32BigEndian(s[56..], (uint)rtClusters);
        if (spec.Version == 3)
        {
            ulong incompatible = (spec.Zstd ? 1UL << Qcow2Constants.IncompatCompressionType : 0)
                | (spec.ExtendedL2 ? 1UL << Qcow2Constants.IncompatExtendedL2 : 0);
            BinaryPrimitives.WriteUInt64BigEndian(s[72..], incompatible);
            BinaryPrimitives.WriteUInt64BigEndian(s[80..], spec.LazyRefcounts ? 1UL : 0);
            BinaryPrimitives.WriteUInt32BigEndian(s[96..], (uint)BitOperations.Log2((uint)spec.RefcountBits));
            BinaryPrimitives.WriteUInt32BigEndian(s[100..], (uint)headerLength);
            h[104] = spec.Zstd ? (byte)1 : (byte)0;
        }

        int at = headerLength;
        if (spec.BackingFormat is not null)
        {
            BinaryPrimitives.WriteUInt32BigEndian(s[at..], Qcow2Constants.ExtBackingFormat);
            BinaryPrimitives.WriteUInt32BigEndian(s[(at + 4)..], (uint)format.Length);
            format.CopyTo(s[(at + 8)..]);
            at += formatExt;
        }

        if (writeFeatures)
        {
            BinaryPrimitives.WriteUInt32BigEndian(s[at..], Qcow2Constants.ExtFeatureNames);
            BinaryPrimitives.WriteUInt32BigEndian(s[(at + 4)..], (uint)(FeatureTable.Length * Qcow2Constants.FeatureNameEntryLength));
            int e = at + 8;
            foreach (var (kind, bit, featureName) in FeatureTable)
            {
                h[e] = kind;
                h[e + 1] = bit;
                Encoding.ASCII.GetBytes(featureName).CopyTo(s[(e + 2)..]);
                e += Qcow2Constants.FeatureNameEntryLength;
            }

            at += featureExt;
        }

        at += 8; // end-of-extensions marker (type 0, length 0): already zero
        if (name.Length > 0)
        {
            BinaryPrimitives.WriteInt64BigEndian(s[8..], at);
            BinaryPrimitives.WriteUInt32BigEndian(s[16..], (uint)name.Length);
            name.CopyTo(s[at..]);
        }

        return h;
    }

    private static int Pad8(int n) => (n + 7) & ~7;
}
