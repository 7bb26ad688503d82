namespace Virt.Qemu.Images;

/// <summary>Options for <see cref="QemuImage.Create"/> and <see cref="QemuImage.CreateOverlay"/>, named like <c>qemu-img create -o</c>.</summary>
public sealed class ImageCreateOptions
{
    /// <summary>Cluster size in bytes: a power of two from 512 to 2 MiB (default 64 KiB).</summary>
    public int ClusterSize { get; set; } = 65536;

    /// <summary><c>1.1</c> (qcow2 version 3, the default) or <c>0.10</c> (version 2).</summary>
    public string Compat { get; set; } = "1.1";

    /// <summary>Set the lazy refcounts feature (compat 1.1 only).</summary>
    public bool LazyRefcounts { get; set; }

    /// <summary>Use extended L2 entries with subclusters (compat 1.1, clusters of 16 KiB or more).</summary>
    public bool ExtendedL2 { get; set; }

    /// <summary><c>zlib</c> (default) or <c>zstd</c> (compat 1.1 only).</summary>
    public string CompressionType { get; set; } = "zlib";

    /// <summary>Refcount width in bits: a power of two from 1 to 64 (default 16; compat 0.10 needs 16).</summary>
    public int RefcountBits { get; set; } = 16;

    /// <summary>
    /// Replace an existing file at the target path (default: refuse). The new image is written beside it
    /// and renamed over it, so the old file stays whole until the new one is complete; a symbolic link at
    /// the path is followed and its target replaced (the link stays), as qemu-img writes through it.
    /// Other hard links to the old file keep the old content. A directory or device is never replaced.
    /// </summary>
    public bool Overwrite { get; set; }

    /// <summary>
    /// Permissions of the new file on Linux and macOS (the process umask still applies), default
    /// <c>0600</c>: Virt keeps files in its state root private. qemu-img creates <c>0644</c>; set
    /// <c>UserRead | UserWrite | GroupRead | OtherRead</c> to match it. Must include <c>UserRead</c>.
    /// Ignored on Windows.
    /// </summary>
    public UnixFileMode Permissions { get; set; } = UnixFileMode.UserRead | UnixFileMode.UserWrite;
}
