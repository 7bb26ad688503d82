using Virt.Qemu.Images;

namespace Virt.Aot.Smoke;

/// <summary>Virt.Qemu's qcow2 reader and qemu-img calls on a real image.</summary>
internal static class ImageSmoke
{
    public static string Run(string scratch)
    {
        string path = Path.Combine(scratch, "smoke.qcow2");
        QemuImage.Create(path, 64L << 20);
        QemuImage.CreateSnapshot(path, "snap1");
        var info = QemuImage.GetInfo(path);
        string json = ImageFormatter.InfoJson(info);
        var snapshots = QemuImage.ListSnapshots(path).Select(s => s.Name);
        return $"{info.Format} {info.VirtualSize} bytes, cluster {info.ClusterSize}, snapshots {string.Join(",", snapshots)}, json names format {json.Contains("\"format\": \"qcow2\"", StringComparison.Ordinal)}";
    }
}
