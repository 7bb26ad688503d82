using System.Buffers.Binary;
using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ExternalTools;

namespace Virt.Qemu.Tests.Images;

/// <summary>Real image files as byte arrays, for hostile-input tests and the fuzzer (read in memory, no files).</summary>
internal static class ImageBytes
{
    /// <summary>A native 1 GiB qcow2 v3 image, 64 KiB clusters, backing "base.qcow2" (qcow2). Layout: extensions at 112
    /// (backing format 112..128, feature table 128..520, end 520..528), backing name at 528, refcount table 0x10000,
    /// refcount block 0x20000, L1 table 0x30000 (2 entries).</summary>
    public static byte[] NativeOverlay(int clusterSize = 65536, long size = 1L << 30)
    {
        using var ms = new MemoryStream();
        Qcow2Writer.Write(ms, Qcow2Writer.Plan(size, new ImageCreateOptions { ClusterSize = clusterSize }, "base.qcow2", "qcow2"));
        return ms.ToArray();
    }

    /// <summary>A qemu-img image with two internal snapshots and data, and one with bitmaps, both small.</summary>
    public static (byte[] Snapshots, byte[] Bitmaps, byte[] V2) FromQemuImg()
    {
        using var dir = new TempDir();
        string s = dir["s.qcow2"];
        QemuImg("create", "-q", "-f", "qcow2", "-o", "cluster_size=512", s, "1M");
        Run("qemu-io", "-c", "write -P 0x11 0 4k", s);
        QemuImg("snapshot", "-c", "one", s);
        QemuImg("snapshot", "-c", "two", s);
        string b = dir["b.qcow2"];
        QemuImg("create", "-q", "-f", "qcow2", "-o", "cluster_size=4096", b, "1M");
        QemuImg("bitmap", "--add", "-f", "qcow2", b, "bm");
        string v2 = dir["v2.qcow2"];
        QemuImg("create", "-q", "-f", "qcow2", "-o", "compat=0.10,cluster_size=512", v2, "1M");
        QemuImg("snapshot", "-c", "old", v2);
        return (File.ReadAllBytes(s), File.ReadAllBytes(b), File.ReadAllBytes(v2));
    }

    public static ImageInfo Read(byte[] bytes, string? format = "qcow2") =>
        ImageReader.Read(new MemoryStream(bytes, writable: false), "img", format);

    public static void U32(byte[] b, int at, uint v) => BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), v);

    public static void U64(byte[] b, int at, ulong v) => BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(at), v);

    public static void U16(byte[] b, int at, ushort v) => BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at), v);
}
