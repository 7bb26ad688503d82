namespace Virt.Qemu.Images;

/// <summary>A persistent dirty bitmap recorded in a qcow2 image.</summary>
public sealed class Qcow2Bitmap
{
    internal Qcow2Bitmap()
    {
    }

    /// <summary>The bitmap's name.</summary>
    public string Name { get; internal init; } = "";

    /// <summary>Bytes of guest disk per bit.</summary>
    public long Granularity { get; internal init; }

    /// <summary>The flags QEMU reports: <c>in-use</c>, <c>auto</c>.</summary>
    public IReadOnlyList<string> Flags { get; internal init; } = [];
}
