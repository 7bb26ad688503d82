using System.Globalization;
using System.Text;
using static Virt.Qemu.Images.ImageFileReader;

namespace Virt.Qemu.Images;

/// <summary>
/// Parses and validates a qcow2 header, its extensions, the backing file name, the snapshot table and
/// the bitmap directory. It applies the checks QEMU makes when it opens an image, plus bounds and
/// overlap checks, so any hostile file ends in a <see cref="VirtException"/>.
/// </summary>
internal static class Qcow2Reader
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Qcow2Metadata Read(ImageFileReader file)
    {
        string path = file.Path;
        byte[] prefix = file.ReadPrefix(Qcow2Constants.V3MinHeaderLength);
        if (prefix.Length < Qcow2Constants.V2HeaderLength)
        {
            throw ImageErrors.Truncated(path, "qcow2 header", 0, Qcow2Constants.V2HeaderLength, file.Length);
        }

        if (U32(prefix, 0) != Qcow2Constants.Magic)
        {
            throw ImageErrors.Invalid(path, "the file does not start with the qcow2 magic 'QFI\\xfb'");
        }

        uint version = U32(prefix, 4);
        if (version is not (2 or 3))
        {
            throw ImageErrors.Unsupported(path, version == 1
                ? "qcow version 1 images are not supported; convert the image with qemu-img convert -O qcow2"
                : string.Create(Inv, $"qcow2 version {version} is not supported (only versions 2 and 3 are)"));
        }

        ulong backingOffset = U64(prefix, 8);
        uint backingSize = U32(prefix, 16);
        uint clusterBits = U32(prefix, 20);
        ulong size = U64(prefix, 24);
        uint cryptMethod = U32(prefix, 32);
        uint l1Size = U32(prefix, 36);
        ulong l1Offset = U64(prefix, 40);
        ulong refcountTableOffset = U64(prefix, 48);
        uint refcountTableClusters = U32(prefix, 56);
        uint snapshotCount = U32(prefix, 60);
        ulong snapshotsOffset = U64(prefix, 64);

        if (clusterBits is < Qcow2Constants.MinClusterBits or > Qcow2Constants.MaxClusterBits)
        {
            throw ImageErrors.Invalid(path, string.Create(Inv, $"cluster bits {clusterBits} are outside the range QEMU supports (9 to 21, 512 B to 2 MiB clusters)"));
        }

        int clusterSize = 1 << (int)clusterBits;

        ulong incompatible = 0, compatible = 0, autoclear = 0;
        int refcountOrder = 4;
        int headerLength = Qcow2Constants.V2HeaderLength;
        string compression = "zlib";
        if (version == 3)
        {
            if (prefix.Length < Qcow2Constants.V3MinHeaderLength)
            {
                throw ImageErrors.Truncated(path, "qcow2 version 3 header", 0, Qcow2Constants.V3MinHeaderLength, file.Length);
            }

            incompatible = U64(prefix, 72);
            compatible = U64(prefix, 80);
            autoclear = U64(prefix, 88);
            uint order = U32(prefix, 96);
            uint length = U32(prefix, 100);
            if (length < Qcow2Constants.V3MinHeaderLength || length > clusterSize || length % 8 != 0)
            {
                throw ImageErrors.Invalid(path, string.Create(Inv, $"header length {length} is invalid (it must be a multiple of 8 between 104 and the cluster size {clusterSize})"));
            }

            if (order > Qcow2Constants.MaxRefcountOrder)
            {
                throw ImageErrors.Invalid(path, string.Create(Inv, $"refcount order {order} is too large (at most 6, 64-bit refcounts)"));
            }

            refcountOrder = (int)order;
            headerLength = (int)length;
            if (headerLength > Qcow2Constants.V3MinHeaderLength)
            {
                byte[] tail = file.Read(Qcow2Constants.V3MinHeaderLength, 1, "compression type field");
                compression = tail[0] switch
                {
                    0 => "zlib",
                    1 => "zstd",
                    _ => throw ImageErrors.Unsupported(path, string.Create(Inv, $"unknown compression type {tail[0]}")),
                };
            }

            bool compressionBit = (incompatible & (1UL << Qcow2Constants.IncompatCompressionType)) != 0;
            if (compression != "zlib" && !compressionBit)
            {
                throw ImageErrors.Invalid(path, "the compression type is not zlib but the compression type incompatible feature bit is clear");
            }
        }

        if (size > long.MaxValue - (ulong)clusterSize)
        {
            throw ImageErrors.Invalid(path, string.Create(Inv, $"virtual size {size} is too large"));
        }

        // QEMU refuses this offset even when the name is empty (backing file size 0).
        if (backingOffset > (ulong)clusterSize)
        {
            throw ImageErrors.Invalid(path, string.Create(Inv, $"backing file offset {backingOffset} lies past the first cluster ({clusterSize} bytes)"));
        }

        // The first cluster holds the header, its extensions and the backing file name.
        var first = new Qcow2HeaderArea(file, clusterSize);
        long extEnd = backingOffset != 0 && backingOffset < (ulong)clusterSize ? (long)backingOffset : clusterSize;
        var ext = Qcow2Extensions.Parse(path, first, headerLength, extEnd, clusterSize, file.Length);

        if (cryptMethod != 0)
        {
            string method = cryptMethod switch { 1 => "AES", 2 => "LUKS", _ => string.Create(Inv, $"unknown method {cryptMethod}") };
            throw ImageErrors.Unsupported(path, $"the image is encrypted ({method}); encrypted qcow2 images are not supported");
        }

        ulong unknownIncompatible = incompatible & ~Qcow2Constants.KnownIncompatibleMask;
        if (unknownIncompatible != 0)
        {
            throw ImageErrors.Unsupported(path, "Unsupported qcow2 feature(s): " + DescribeUnknown(unknownIncompatible, ext.FeatureNames)
                + "; this image needs a newer QEMU");
        }

        string? backingName = null;
        if (backingOffset != 0 && backingSize != 0)
        {
            if (backingSize > Qcow2Constants.MaxBackingFileNameLength || backingOffset >= (ulong)clusterSize
                || backingSize > (ulong)clusterSize - backingOffset)
            {
                throw ImageErrors.Invalid(path, string.Create(Inv, $"backing file name at offset {backingOffset} ({backingSize} bytes) is too long or outside the first cluster"));
            }

            if ((long)backingOffset + backingSize > first.Limit)
            {
                throw ImageErrors.Truncated(path, "backing file name", (long)backingOffset, backingSize, file.Length);
            }

            backingName = DecodeName(path, first.Get((long)backingOffset, (int)backingSize), "backing file name");
        }

        bool extendedL2 = (incompatible & (1UL << Qcow2Constants.IncompatExtendedL2)) != 0;
        ValidateL1(path, clusterBits, size, l1Size, l1Offset, extendedL2);
        ValidateRefcountTable(path, clusterSize, refcountTableOffset, refcountTableClusters);

        if (snapshotCount > Qcow2Constants.MaxSnapshots)
        {
            throw ImageErrors.Invalid(path, string.Create(Inv, $"snapshot count {snapshotCount} exceeds QEMU's limit of {Qcow2Constants.MaxSnapshots}"));
        }

        // QEMU's validate_table_offset: refused even when the image has no snapshots.
        if (snapshotsOffset > long.MaxValue / 2)
        {
            throw ImageErrors.Invalid(path, string.Create(Inv, $"snapshot table offset {snapshotsOffset} is invalid"));
        }

        if (snapshotCount > 0 && snapshotsOffset % (ulong)clusterSize != 0)
        {
            throw ImageErrors.Invalid(path, string.Create(Inv, $"snapshot table offset {snapshotsOffset} is not aligned to the cluster size"));
        }

        var regions = new Qcow2RegionSet(path, file.Length);
        regions.Add("header cluster", 0, clusterSize, mustBeInFile: false);
        regions.Add("active L1 table", (long)l1Offset, (long)l1Size * 8);
        regions.Add("refcount table", (long)refcountTableOffset, (long)refcountTableClusters * clusterSize);

        var (snapshots, snapshotTableLength) = Qcow2SnapshotTable.Read(file, (long)snapshotsOffset, (int)snapshotCount, clusterSize);
        regions.Add("snapshot table", (long)snapshotsOffset, snapshotTableLength);
        foreach (ImageSnapshotInfo s in snapshots)
        {
            regions.Add($"L1 table of snapshot '{s.Id}'", s.L1TableOffset, (long)s.L1Size * 8);
        }

        IReadOnlyList<Qcow2Bitmap> bitmaps = [];
        if (ext.Bitmaps is { } bm && (autoclear & (1UL << Qcow2Constants.AutoclearBitmaps)) != 0)
        {
            regions.Add("bitmap directory", bm.DirectoryOffset, bm.DirectorySize);
            bitmaps = Qcow2BitmapDirectory.Read(file, bm);
        }

        bool dataFileBit = (incompatible & (1UL << Qcow2Constants.IncompatExternalData)) != 0;
        var details = new Qcow2Details
        {
            Version = (int)version,
            ClusterBits = (int)clusterBits,
            HeaderLength = headerLength,
            CryptMethod = (int)cryptMethod,
            L1Size = (int)l1Size,
            L1TableOffset = (long)l1Offset,
            RefcountTableOffset = (long)refcountTableOffset,
            RefcountTableClusters = (int)refcountTableClusters,
            SnapshotCount = (int)snapshotCount,
            SnapshotsOffset = (long)snapshotsOffset,
            BackingFileOffset = (long)backingOffset,
            BackingFileSize = (int)backingSize,
            IncompatibleFeatures = incompatible,
            CompatibleFeatures = compatible,
            AutoclearFeatures = autoclear,
            RefcountOrder = refcountOrder,
            LazyRefcounts = (compatible & (1UL << Qcow2Constants.CompatLazyRefcounts)) != 0,
            Corrupt = (incompatible & (1UL << Qcow2Constants.IncompatCorrupt)) != 0,
            Dirty = (incompatible & (1UL << Qcow2Constants.IncompatDirty)) != 0,
            ExtendedL2 = extendedL2,
            CompressionType = compression,
            DataFile = ext.DataFile,
            DataFileRaw = ext.DataFile is null && !dataFileBit ? null : (autoclear & (1UL << Qcow2Constants.AutoclearDataFileRaw)) != 0,
            Bitmaps = bitmaps,
            FeatureNames = ext.FeatureNames,
            UnknownExtensions = ext.Unknown,
        };

        return new Qcow2Metadata(details, (long)size, clusterSize, backingName, ext.BackingFormat, snapshots);
    }

    internal static string DecodeName(string path, ReadOnlySpan<byte> bytes, string what)
    {
        if (bytes.IndexOf((byte)0) >= 0)
        {
            throw ImageErrors.Invalid(path, $"the {what} contains a NUL byte");
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new VirtException(VirtErrorCode.ReadFailed, $"'{path}' is not a valid qcow2 image: the {what} is not valid UTF-8", ex);
        }
    }

    private static string DescribeUnknown(ulong bits, IReadOnlyList<Qcow2FeatureName> names)
    {
        var parts = new List<string>();
        for (int bit = 0; bit < 64; bit++)
        {
            if ((bits & (1UL << bit)) == 0)
            {
                continue;
            }

            Qcow2FeatureName? named = names.FirstOrDefault(n => n.Kind == Qcow2FeatureKind.Incompatible && n.Bit == bit);
            parts.Add(named is not null
                ? named.Name
                : string.Create(Inv, $"Unknown incompatible feature: {1UL << bit:x}"));
        }

        return string.Join(", ", parts);
    }

    private static void ValidateL1(string path, uint clusterBits, ulong size, uint l1Size, ulong l1Offset, bool extendedL2)
    {
        if ((ulong)l1Size * 8 > Qcow2Constants.MaxL1SizeBytes)
        {
            throw ImageErrors.Invalid(path, string.Create(Inv, $"active L1 table too large ({l1Size} entries; QEMU allows at most {Qcow2Constants.MaxL1SizeBytes / 8})"));
        }

        int l2Bits = (int)clusterBits - (extendedL2 ? 4 : 3);
        int shift = (int)clusterBits + l2Bits;
        ulong needed = shift >= 64 ? 1 : (size + (1UL << shift) - 1) >> shift;
        if (l1Size < needed)
        {
            throw ImageErrors.Invalid(path, string.Create(Inv, $"L1 table is too small ({l1Size} entries; the virtual size {size} needs {needed})"));
        }

        if (l1Offset % (1UL << (int)clusterBits) != 0 || l1Offset > long.MaxValue / 2)
        {
            throw ImageErrors.Invalid(path, string.Create(Inv, $"active L1 table offset {l1Offset} is invalid (not aligned to the cluster size)"));
        }
    }

    private static void ValidateRefcountTable(string path, int clusterSize, ulong offset, uint clusters)
    {
        if (clusters == 0)
        {
            throw ImageErrors.Invalid(path, "the image does not contain a refcount table");
        }

        if ((ulong)clusters * (ulong)clusterSize > Qcow2Constants.MaxRefcountTableBytes)
        {
            throw ImageErrors.Invalid(path, string.Create(Inv, $"refcount table too large ({clusters} clusters)"));
        }

        if (offset % (ulong)clusterSize != 0 || offset > long.MaxValue / 2)
        {
            throw ImageErrors.Invalid(path, string.Create(Inv, $"refcount table offset {offset} is invalid (not aligned to the cluster size)"));
        }
    }
}
