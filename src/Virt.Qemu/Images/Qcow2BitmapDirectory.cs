using System.Globalization;
using static Virt.Qemu.Images.ImageFileReader;

namespace Virt.Qemu.Images;

/// <summary>Reads the names, granularities and flags of the persistent dirty bitmaps.</summary>
internal static class Qcow2BitmapDirectory
{
    private const int EntryFixedLength = 24;

    public static IReadOnlyList<Qcow2Bitmap> Read(ImageFileReader file, Qcow2BitmapsExtension ext, int clusterSize)
    {
        string path = file.Path;
        byte[] dir = file.Read(ext.DirectoryOffset, ext.DirectorySize, "bitmap directory");
        var list = new List<Qcow2Bitmap>();
        int at = 0;
        for (int i = 0; i < ext.Count; i++)
        {
            if (at > dir.Length - EntryFixedLength)
            {
                throw ImageErrors.Invalid(path, "bitmap directory is shorter than its bitmap count says");
            }

            uint flags = U32(dir, at + 12);
            byte type = dir[at + 16];
            byte granularityBits = dir[at + 17];
            ushort nameSize = U16(dir, at + 18);
            uint extraSize = U32(dir, at + 20);
            long entryLength = EntryFixedLength + (long)extraSize + nameSize;
            if (entryLength > dir.Length - at)
            {
                throw ImageErrors.Invalid(path, "bitmap directory entry runs past the end of the directory");
            }

            if (type != 1 || granularityBits is < 9 or > 31)
            {
                throw ImageErrors.Invalid(path, string.Create(CultureInfo.InvariantCulture, $"bitmap directory entry {i + 1} has type {type} and granularity bits {granularityBits}"));
            }

            string name = Qcow2Reader.DecodeName(path, dir.AsSpan(at + EntryFixedLength + (int)extraSize, nameSize), "bitmap name");
            var flagNames = new List<string>();
            if ((flags & 2) != 0)
            {
                flagNames.Add("auto");
            }

            if ((flags & 1) != 0)
            {
                flagNames.Add("in-use");
            }

            list.Add(new Qcow2Bitmap { Name = name, Granularity = 1L << granularityBits, Flags = flagNames });
            at += (int)((entryLength + 7) & ~7L);
        }

        _ = clusterSize;
        return list;
    }
}
