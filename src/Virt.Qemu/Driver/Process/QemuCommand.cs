namespace Virt.Qemu.Driver.Process;

/// <summary>What <see cref="QemuCommandLine"/> builds: the emulator, its argument array, and the names it gave.</summary>
/// <param name="Emulator">The QEMU binary.</param>
/// <param name="Arguments">The arguments, one element each (never passed through a shell).</param>
/// <param name="Disks">Every disk with a medium, in the definition's order, with the node names and alias QEMU knows it by.</param>
/// <param name="PflashNodes">The format node names of the firmware code and of the NVRAM, or null when not UEFI pflash.</param>
internal sealed record QemuCommand(string Emulator, IReadOnlyList<string> Arguments, IReadOnlyList<QemuDiskNodes> Disks, QemuPflashNodes? PflashNodes);

/// <summary>A disk as QEMU knows it.</summary>
/// <param name="Target">The disk's target device (<c>vda</c>, <c>sda</c>...).</param>
/// <param name="Alias">The device id (<c>virtio-disk0</c>, <c>sata0-0-0</c>...), as libvirt names it.</param>
/// <param name="StorageNode">The protocol node (file or host_device), or null for an empty CD-ROM.</param>
/// <param name="FormatNode">The format node the device is attached to, or null for an empty CD-ROM.</param>
/// <param name="Format">The image format of the format node.</param>
internal sealed record QemuDiskNodes(string Target, string Alias, string? StorageNode, string? FormatNode, string? Format);

/// <summary>The pflash format nodes of a UEFI domain.</summary>
/// <param name="Code">The firmware code's format node.</param>
/// <param name="Nvram">The NVRAM's format node, or null when the domain has none.</param>
/// <param name="NvramFormat">The NVRAM's image format (<c>raw</c> or <c>qcow2</c>).</param>
internal sealed record QemuPflashNodes(string Code, string? Nvram, string? NvramFormat);
