using System.Globalization;
using System.Text;
using static Virt.Qemu.Images.ImageFileReader;

namespace Virt.Qemu.Images;

/// <summary>The header extensions of a qcow2 image (the area between the header and the backing file name).</summary>
internal sealed class Qcow2Extensions
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public string? BackingFormat { get; private set; }

    public string? DataFile { get; private set; }

    public Qcow2BitmapsExtension? Bitmaps { get; private set; }

    public IReadOnlyList<Qcow2FeatureName> FeatureNames { get; private set; } = [];

    public IReadOnlyList<uint> Unknown { get; private set; } = [];

    /// <summary>Parses the extensions in <paramref name="first"/> (the first cluster, possibly cut short by the file's end).</summary>
    public static Qcow2Extensions Parse(string path, Qcow2HeaderArea first, int start, long end, int clusterSize, long fileLength)
    {
        var result = new Qcow2Extensions();
        var unknown = new List<uint>();
        var names = new List<Qcow2FeatureName>();
        long offset = start;
        while (offset < end)
        {
            if (offset + 8 > end)
            {
                throw ImageErrors.Invalid(path, string.Create(Inv, $"header extension at offset {offset} runs past the end of the extension area ({end})"));
            }

            if (offset + 8 > first.Limit)
            {
                throw ImageErrors.Truncated(path, "header extension", offset, 8, fileLength);
            }

            ReadOnlySpan<byte> head = first.Get(offset, 8);
            uint type = U32(head, 0);
            uint length = U32(head, 4);
            offset += 8;
            if (length > end - offset)
            {
                throw ImageErrors.Invalid(path, string.Create(Inv, $"header extension 0x{type:x8} is too large ({length} bytes at offset {offset})"));
            }

            if (type == Qcow2Constants.ExtEnd)
            {
                break;
            }

            if (offset + length > first.Limit)
            {
                throw ImageErrors.Truncated(path, string.Create(Inv, $"header extension 0x{type:x8}"), offset, length, fileLength);
            }

            ReadOnlySpan<byte> data = first.Get(offset, (int)length);
            switch (type)
            {
                case Qcow2Constants.ExtBackingFormat:
                    if (length >= 16)
                    {
                        throw ImageErrors.Invalid(path, string.Create(Inv, $"backing format extension is too long ({length} bytes, at most 15)"));
                    }

                    result.BackingFormat = Qcow2Reader.DecodeName(path, data, "backing format");
                    break;
                case Qcow2Constants.ExtFeatureNames:
                    ReadFeatureNames(data, names);
                    break;
                case Qcow2Constants.ExtExternalDataFile:
                    result.DataFile = Qcow2Reader.DecodeName(path, data, "external data file name");
                    break;
                case Qcow2Constants.ExtBitmaps:
                    result.Bitmaps = Qcow2BitmapsExtension.Parse(path, data, clusterSize);
                    break;
                case Qcow2Constants.ExtFullDiskEncryption:
                    // Only meaningful with LUKS encryption, which the caller refuses.
                    break;
                default:
                    unknown.Add(type);
                    break;
            }

            offset += (length + 7L) & ~7L;
        }

        result.FeatureNames = names;
        result.Unknown = unknown;
        return result;
    }

    private static void ReadFeatureNames(ReadOnlySpan<byte> data, List<Qcow2FeatureName> names)
    {
        for (int at = 0; at + Qcow2Constants.FeatureNameEntryLength <= data.Length; at += Qcow2Constants.FeatureNameEntryLength)
        {
            byte kind = data[at];
            byte bit = data[at + 1];
            if (kind > 2 || bit > 63)
            {
                continue;
            }

            ReadOnlySpan<byte> raw = data.Slice(at + 2, Qcow2Constants.FeatureNameEntryLength - 2);
            int nul = raw.IndexOf((byte)0);
            if (nul >= 0)
            {
                raw = raw[..nul];
            }

            names.Add(new Qcow2FeatureName
            {
                Kind = (Qcow2FeatureKind)kind,
                Bit = bit,
                Name = Encoding.UTF8.GetString(raw),
            });
        }
    }
}

/// <summary>The bitmaps header extension: where the bitmap directory is.</summary>
internal sealed record Qcow2BitmapsExtension(int Count, long DirectorySize, long DirectoryOffset)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Qcow2BitmapsExtension Parse(string path, ReadOnlySpan<byte> data, int clusterSize)
    {
        if (data.Length != 24)
        {
            throw ImageErrors.Invalid(path, string.Create(Inv, $"bitmaps extension has length {data.Length} (expected 24)"));
        }

        uint count = U32(data, 0);
        uint reserved = U32(data, 4);
        ulong size = U64(data, 8);
        ulong offset = U64(data, 16);
        if (reserved != 0)
        {
            throw ImageErrors.Invalid(path, "bitmaps extension has a non-zero reserved field");
        }

        if (count == 0 || count > Qcow2Constants.MaxBitmaps)
        {
            throw ImageErrors.Invalid(path, string.Create(Inv, $"bitmaps extension counts {count} bitmaps (1 to {Qcow2Constants.MaxBitmaps} allowed)"));
        }

        if (size == 0 || size > Qcow2Constants.MaxBitmapDirectoryBytes)
        {
            throw ImageErrors.Invalid(path, string.Create(Inv, $"bitmap directory size {size} is invalid"));
        }

        if (offset % (ulong)clusterSize != 0 || offset > long.MaxValue / 2)
        {
            throw ImageErrors.Invalid(path, string.Create(Inv, $"bitmap directory offset {offset} is not aligned to the cluster size"));
        }

        return new Qcow2BitmapsExtension((int)count, (long)size, (long)offset);
    }
}
