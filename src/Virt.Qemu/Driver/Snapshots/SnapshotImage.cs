namespace Virt.Qemu.Driver.Snapshots;

/// <summary>One image of a domain that can take part in an internal snapshot: a disk with a medium, or the UEFI NVRAM.</summary>
/// <param name="Name">The disk's target (<c>vda</c>), or <see cref="NvramName"/> for the NVRAM.</param>
/// <param name="Path">The image file.</param>
/// <param name="Format">The image format (<c>qcow2</c>, <c>raw</c>).</param>
/// <param name="Node">The format node QEMU knows it by (<c>libvirt-1-format</c>, <c>libvirt-pflash1-format</c>).</param>
internal sealed record SnapshotImage(string Name, string Path, string Format, string Node)
{
    /// <summary>The name given to the NVRAM, which is not a disk of the definition.</summary>
    public const string NvramName = "nvram";

    /// <summary>Whether this is the UEFI variable store.</summary>
    public bool IsNvram => Name == NvramName;

    /// <summary>Whether the image can hold internal snapshots.</summary>
    public bool IsQcow2 => Format == "qcow2";
}
