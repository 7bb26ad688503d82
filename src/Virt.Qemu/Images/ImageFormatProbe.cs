using System.Buffers.Binary;

namespace Virt.Qemu.Images;

/// <summary>
/// Names the format of a top-level image from its first bytes, as <c>qemu-img info</c> does when no
/// format is given. Backing files are never probed: their recorded format is used.
/// </summary>
internal static class ImageFormatProbe
{
    private static readonly (string Format, byte[] Magic)[] Others =
    [
        ("vmdk", "KDMV"u8.ToArray()),
        ("vmdk", "# Disk DescriptorFile"u8.ToArray()),
        ("vdi", "<<< "u8.ToArray()),
        ("vpc", "conectix"u8.ToArray()),
        ("vhdx", "vhdxfile"u8.ToArray()),
        ("luks", [0x4c, 0x55, 0x4b, 0x53, 0xba, 0xbe]),
        ("qed", [0x51, 0x45, 0x44, 0x00]),
        ("dmg", "koly"u8.ToArray()),
        ("parallels", "WithoutFreeSpace"u8.ToArray()),
        ("parallels", "WithouFreSpacExt"u8.ToArray()),
        ("bochs", "Bochs Virtual HD Image"u8.ToArray()),
        ("cloop", "#!/bin/sh\n#V2.0 Format"u8.ToArray()),
    ];

    /// <summary>Returns <c>qcow2</c>, <c>qcow</c>, another QEMU format name, or <c>raw</c>.</summary>
    public static string Probe(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 8 && BinaryPrimitives.ReadUInt32BigEndian(head) == Qcow2Constants.Magic)
        {
            // Like QEMU's probes: qcow2 claims versions 2 and up, qcow version 1; version 0 is nobody's.
            uint version = BinaryPrimitives.ReadUInt32BigEndian(head[4..]);
            if (version != 0)
            {
                return version == 1 ? "qcow" : "qcow2";
            }
        }

        foreach (var (format, magic) in Others)
        {
            if (head.StartsWith(magic))
            {
                return format;
            }
        }

        return "raw";
    }
}
