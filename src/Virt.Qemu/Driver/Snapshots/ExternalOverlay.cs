namespace Virt.Qemu.Driver.Snapshots;

/// <summary>One disk's overlay in an external snapshot create or revert.</summary>
/// <param name="Target">The disk's target (<c>vda</c>).</param>
/// <param name="Backing">The file the overlay goes on (the disk's active layer now, or the snapshot's point-in-time file).</param>
/// <param name="BackingFormat">Its format (<c>qcow2</c> or <c>raw</c>).</param>
/// <param name="Path">The overlay file (qcow2).</param>
/// <param name="Reused">Whether the file existed and is used as is (REUSE_EXT): it is never deleted on failure.</param>
internal sealed record ExternalOverlay(string Target, string Backing, string BackingFormat, string Path, bool Reused);
