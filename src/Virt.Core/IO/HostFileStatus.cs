namespace Virt.IO;

/// <summary>What statx says about a file: its type, its length and the bytes allocated to it (null where not reported).</summary>
internal readonly record struct HostFileStatus(HostFileKind Kind, long? Size, long? AllocatedBytes)
{
    /// <summary>The inode number (with the device, what identifies the file), or null where not reported.</summary>
    public ulong? Inode { get; init; }

    /// <summary>The major number of the device holding the file.</summary>
    public uint DeviceMajor { get; init; }

    /// <summary>The minor number of the device holding the file.</summary>
    public uint DeviceMinor { get; init; }

    /// <summary>The type could not be told (statx failed for another reason or is not available).</summary>
    public static HostFileStatus Unknown { get; } = new(HostFileKind.Unknown, null, null);

    /// <summary>Neither the file nor (part of) its directory exists.</summary>
    public static HostFileStatus Missing { get; } = new(HostFileKind.Missing, null, null);
}

/// <summary>A file's type as stat reports it.</summary>
internal enum HostFileKind
{
    /// <summary>Could not be told (another stat error, or an unsupported platform).</summary>
    Unknown,
    /// <summary>Neither the file nor (part of) its directory exists.</summary>
    Missing,
    /// <summary>A regular file.</summary>
    Regular,
    /// <summary>A directory.</summary>
    Directory,
    /// <summary>A character device such as /dev/null.</summary>
    CharacterDevice,
    /// <summary>A block device such as /dev/sda or a loop device; read like a file, its size from its end.</summary>
    BlockDevice,
    /// <summary>A named pipe: opening it for reading would wait for a writer.</summary>
    Fifo,
    /// <summary>A UNIX socket.</summary>
    Socket,
    /// <summary>A symbolic link (only seen when links are not followed).</summary>
    Symlink,
}
