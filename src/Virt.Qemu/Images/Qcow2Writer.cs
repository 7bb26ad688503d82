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
/// Lays out and writes a qcow2 image: header cluster (header, extensions, backing file name), refcount table,
/// refcount blocks, the L1 table and, for an image created with content, its L2 tables and data clusters, each
/// cluster counted once in the refcounts.
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

    /// <summary>Writes an image that reads as zeros (or as its backing file).</summary>
    public static void Write(Stream stream, Qcow2CreateSpec spec) => Write(stream, spec, ReadOnlySpan<byte>.Empty);

    /// <summary>
    /// Writes an image whose guest view starts with <paramref name="content"/> (zeros after it): every cluster of the
    /// content holding a non-zero byte gets an L2 table and a data cluster after the L1 table, each counted once in the
    /// refcounts; all-zero clusters stay unallocated and read as zeros.
    /// </summary>
    public static void Write(Stream stream, Qcow2CreateSpec spec, ReadOnlySpan<byte> content)
    {
        int cs = spec.ClusterSize;
        if (content.Length > spec.Size)
        {
            throw ImageErrors.InvalidArg(string.Create(CultureInfo.InvariantCulture, $"content of {content.Length} bytes does not fit an image of {spec.Size} bytes"));
        }

        long l2Entries = cs / (spec.ExtendedL2 ? 16 : 8);
        var data = new List<long>();
        for (long g = 0; g * cs < content.Length; g++)
        {
            var chunk = content.Slice((int)(g * cs), (int)Math.Min(cs, content.Length - (g * cs)));
            if (chunk.ContainsAnyExcept((byte)0))
            {
                data.Add(g);
            }
        }

        var l2Tables = data.Select(g => g / l2Entries).Distinct().ToList();
        long l1Entries = L1Entries(spec);
        long l1Clusters = (l1Entries * 8 + cs - 1) / cs;
        long perBlock = (long)cs * 8 / spec.RefcountBits;
        long rt = 1, rb = 1;
        long payload = l1Clusters + l2Tables.Count + data.Count;
        while (true)
        {
            long total = 1 + rt + rb + payload;
            long newRb = (total + perBlock - 1) / perBlock;
            long newRt = (newRb * 8 + cs - 1) / cs;
            if (newRb == rb && newRt == rt)
            {
                break;
            }

            rb = Math.Max(rb, newRb);
            rt = Math.Max(rt, newRt);
        }

        long clusters = 1 + rt + rb + payload;
        long rtOffset = cs;
        long rbOffset = rtOffset + rt * cs;
        long l1Offset = rbOffset + rb * cs;
        long l2Offset = l1Offset + l1Clusters * cs;
        long dataOffset = l2Offset + l2Tables.Count * (long)cs;

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

        if (data.Count > 0)
        {
            WriteData(stream, spec, content, data, l2Tables, l1Offset, l2Offset, dataOffset);
        }
    }

    /// <summary>Fills in the L1 entries, the L2 entries and the data clusters; the file was extended with zeros, so
    /// every entry and byte not written here reads as zero.</summary>
    private static void WriteData(Stream stream, Qcow2CreateSpec spec, ReadOnlySpan<byte> content, List<long> data, List<long> l2Tables,
        long l1Offset, long l2Offset, long dataOffset)
    {
        const ulong Copied = 1UL << 63;
        int cs = spec.ClusterSize;
        int entrySize = spec.ExtendedL2 ? 16 : 8;
        long l2Entries = cs / entrySize;
        var tableIndex = new Dictionary<long, int>();
        byte[] entry = new byte[entrySize];
        for (int t = 0; t < l2Tables.Count; t++)
        {
            tableIndex[l2Tables[t]] = t;
            BinaryPrimitives.WriteUInt64BigEndian(entry, (ulong)(l2Offset + (long)t * cs) | Copied);
            stream.Position = l1Offset + l2Tables[t] * 8;
            stream.Write(entry, 0, 8);
        }

        byte[] cluster = new byte[cs];
        for (int d = 0; d < data.Count; d++)
        {
            long g = data[d];
            BinaryPrimitives.WriteUInt64BigEndian(entry, (ulong)(dataOffset + (long)d * cs) | Copied);
            if (spec.ExtendedL2)
            {
                // Every subcluster allocated (the low 32 bits of the bitmap); none reads as zero.
                BinaryPrimitives.WriteUInt64BigEndian(entry.AsSpan(8), 0xFFFF_FFFFUL);
            }

            stream.Position = l2Offset + ((long)tableIndex[g / l2Entries] * cs) + ((g % l2Entries) * entrySize);
            stream.Write(entry);

            Array.Clear(cluster);
            long start = g * cs;
            content.Slice((int)start, (int)Math.Min(cs, content.Length - start)).CopyTo(cluster);
            stream.Position = dataOffset + (long)d * cs;
            stream.Write(cluster);
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
