namespace Virt.Qemu.Images;

/// <summary>
/// Every field of a qcow2 header and its extensions, as read from the file. The properties that
/// <c>qemu-img info</c> shows under "format-specific" are named after those fields.
/// </summary>
public sealed class Qcow2Details
{
    internal Qcow2Details()
    {
    }

    /// <summary>The header version: 2 (compat 0.10) or 3 (compat 1.1).</summary>
    public int Version { get; internal init; }

    /// <summary><c>0.10</c> for version 2, <c>1.1</c> for version 3.</summary>
    public string Compat => Version == 2 ? "0.10" : "1.1";

    /// <summary>log2 of the cluster size.</summary>
    public int ClusterBits { get; internal init; }

    /// <summary>The header length in bytes (72 for version 2).</summary>
    public int HeaderLength { get; internal init; }

    /// <summary>The encryption method (0 none); images with encryption are refused before this is returned.</summary>
    public int CryptMethod { get; internal init; }

    /// <summary>Entries in the active L1 table.</summary>
    public int L1Size { get; internal init; }

    /// <summary>Offset of the active L1 table.</summary>
    public long L1TableOffset { get; internal init; }

    /// <summary>Offset of the refcount table.</summary>
    public long RefcountTableOffset { get; internal init; }

    /// <summary>Clusters the refcount table occupies.</summary>
    public int RefcountTableClusters { get; internal init; }

    /// <summary>Number of internal snapshots.</summary>
    public int SnapshotCount { get; internal init; }

    /// <summary>Offset of the snapshot table.</summary>
    public long SnapshotsOffset { get; internal init; }

    /// <summary>Offset of the backing file name in the image, or 0.</summary>
    public long BackingFileOffset { get; internal init; }

    /// <summary>Length of the backing file name in bytes.</summary>
    public int BackingFileSize { get; internal init; }

    /// <summary>The incompatible feature bits.</summary>
    public ulong IncompatibleFeatures { get; internal init; }

    /// <summary>The compatible feature bits.</summary>
    public ulong CompatibleFeatures { get; internal init; }

    /// <summary>The autoclear feature bits.</summary>
    public ulong AutoclearFeatures { get; internal init; }

    /// <summary>log2 of the refcount width in bits (4 for version 2).</summary>
    public int RefcountOrder { get; internal init; }

    /// <summary>The refcount width in bits.</summary>
    public int RefcountBits => 1 << RefcountOrder;

    /// <summary>True when the lazy refcounts compatible feature is set.</summary>
    public bool LazyRefcounts { get; internal init; }

    /// <summary>True when the image was marked corrupt by QEMU (it then opens read-only).</summary>
    public bool Corrupt { get; internal init; }

    /// <summary>True when the dirty bit is set.</summary>
    public bool Dirty { get; internal init; }

    /// <summary>True when L2 entries carry subcluster bitmaps.</summary>
    public bool ExtendedL2 { get; internal init; }

    /// <summary>The compression type: <c>zlib</c> or <c>zstd</c>.</summary>
    public string CompressionType { get; internal init; } = "zlib";

    /// <summary>The external data file name, or null when guest data lives in the image itself.</summary>
    public string? DataFile { get; internal init; }

    /// <summary>True when the external data file is a valid raw image by itself; null without an external data file.</summary>
    public bool? DataFileRaw { get; internal init; }

    /// <summary>The persistent dirty bitmaps (empty when there are none or the bitmaps extension is not consistent).</summary>
    public IReadOnlyList<Qcow2Bitmap> Bitmaps { get; internal init; } = [];

    /// <summary>The entries of the feature name table extension.</summary>
    public IReadOnlyList<Qcow2FeatureName> FeatureNames { get; internal init; } = [];

    /// <summary>Header extension types present that this reader does not interpret.</summary>
    public IReadOnlyList<uint> UnknownExtensions { get; internal init; } = [];
}
