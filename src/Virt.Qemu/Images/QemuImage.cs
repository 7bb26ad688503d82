namespace Virt.Qemu.Images;

/// <summary>
/// Native qcow2 and raw image management: reading headers, snapshot tables and backing chains, and
/// creating images and overlays, all without spawning a process. Operations QEMU's own tool does best
/// (internal snapshot create/apply/delete, commit, rebase, convert) run qemu-img.
/// </summary>
public static class QemuImage
{
    private static readonly QemuImgOperations Tool = new(new ProcessQemuImgRunner());

    /// <summary>Reads one image's header and snapshot table.</summary>
    /// <param name="path">The image: a regular file or a block device (whose size is the device's).</param>
    /// <param name="format"><c>qcow2</c> or <c>raw</c>; null to detect it from the first bytes like <c>qemu-img info</c> does.</param>
    /// <returns>What the image records.</returns>
    /// <exception cref="VirtException">OpenFailed when the file is missing, unreadable or neither a regular file nor a block device (a directory, character device, named pipe or socket); ReadFailed when it is truncated or damaged;
    /// ConfigUnsupported for encryption, unknown incompatible features or other formats.</exception>
    public static ImageInfo GetInfo(string path, string? format = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ImageReader.Read(path, format);
    }

    /// <summary>Reads an image and every backing file below it, top first, like <c>qemu-img info --backing-chain</c>.</summary>
    /// <param name="path">The top image.</param>
    /// <param name="format">The top image's format, or null to detect it. Backing files are read in the format their overlay records.</param>
    /// <returns>The chain, top image first.</returns>
    /// <exception cref="VirtException">As <see cref="GetInfo"/>; also OpenFailed for a missing backing file, OperationInvalid for a loop,
    /// and ConfigUnsupported for a backing file without a recorded format, in another format, or named by a protocol.</exception>
    public static IReadOnlyList<ImageInfo> GetBackingChain(string path, string? format = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return BackingChainResolver.Resolve(path, format);
    }

    /// <summary>Lists an image's internal snapshots.</summary>
    /// <param name="path">The image file.</param>
    /// <returns>The snapshot table entries in table order (empty for raw images).</returns>
    /// <exception cref="VirtException">As <see cref="GetInfo"/>.</exception>
    public static IReadOnlyList<ImageSnapshotInfo> ListSnapshots(string path) => GetInfo(path).Snapshots;

    /// <summary>Creates an empty qcow2 image atomically (temporary file, fsync, rename, directory fsync), mode 0600 unless <see cref="ImageCreateOptions.Permissions"/> says otherwise.</summary>
    /// <param name="path">The new file; it must not exist unless <see cref="ImageCreateOptions.Overwrite"/> is set.</param>
    /// <param name="size">Virtual size in bytes (rounded up to 512 like qemu-img); see <see cref="ImageSize.Parse"/>.</param>
    /// <param name="options">Cluster size, compat and features; null for qemu-img's defaults.</param>
    /// <returns>The new image's description.</returns>
    /// <exception cref="VirtException">InvalidArg for bad options, OperationInvalid when the file exists (or, with Overwrite, is a directory or device),
    /// OpenFailed/WriteFailed for I/O failures, including WriteFailed when the image is in place but its directory could not be flushed to disk.</exception>
    public static ImageInfo Create(string path, long size, ImageCreateOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new ImageCreateOptions();
        Qcow2CreateSpec spec = Qcow2Writer.Plan(size, options, null, null);
        AtomicImageFile.Create(path, options.Overwrite, options.Permissions, s => Qcow2Writer.Write(s, spec));
        return GetInfo(path, "qcow2");
    }

    /// <summary>Creates a qcow2 image, atomically as <see cref="Create"/>, whose guest view is <paramref name="content"/>
    /// (its size rounded up to 512 bytes with zeros; all-zero clusters left unallocated), as <c>qemu-img convert -O qcow2</c>
    /// of a raw file holding it would, without a process.</summary>
    /// <exception cref="VirtException">As <see cref="Create"/>.</exception>
    internal static ImageInfo CreateWithContent(string path, byte[] content, ImageCreateOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(content);
        options ??= new ImageCreateOptions();
        Qcow2CreateSpec spec = Qcow2Writer.Plan(content.Length, options, null, null);
        AtomicImageFile.Create(path, options.Overwrite, options.Permissions, s => Qcow2Writer.Write(s, spec, content));
        return GetInfo(path, "qcow2");
    }

    /// <summary>Creates a qcow2 overlay on top of a backing file, recording the backing file's name and format.</summary>
    /// <param name="path">The new overlay file.</param>
    /// <param name="backingFile">The backing file name to record; a relative name is relative to the overlay's directory, as QEMU reads it.</param>
    /// <param name="backingFormat"><c>qcow2</c> or <c>raw</c>; the backing file is checked to be readable in that format.</param>
    /// <param name="options">Cluster size, compat and features; null for qemu-img's defaults.</param>
    /// <param name="size">The overlay's virtual size; null to use the backing file's.</param>
    /// <returns>The new overlay's description.</returns>
    /// <exception cref="VirtException">As <see cref="Create"/>; OpenFailed when the backing file does not exist; errors of reading the backing file.</exception>
    public static ImageInfo CreateOverlay(string path, string backingFile, string backingFormat, ImageCreateOptions? options = null, long? size = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(backingFile);
        ArgumentException.ThrowIfNullOrEmpty(backingFormat);
        if (backingFormat is not ("qcow2" or "raw"))
        {
            throw ImageErrors.InvalidArg($"backing format '{backingFormat}' is not supported (use qcow2 or raw)");
        }

        if (BackingPath.HasProtocol(backingFile))
        {
            throw ImageErrors.InvalidArg($"backing file name '{backingFile}' would be read by QEMU as a protocol; prefix it with ./");
        }

        string full = BackingPath.Combine(path, backingFile);
        if (BackingPath.IsMissing(full))
        {
            throw new VirtException(VirtErrorCode.OpenFailed, $"backing file '{backingFile}' does not exist (looked for '{full}', relative to the overlay's directory)");
        }

        ImageInfo backing = ImageReader.Read(full, backingFormat);
        options ??= new ImageCreateOptions();
        Qcow2CreateSpec spec = Qcow2Writer.Plan(size ?? backing.VirtualSize, options, backingFile, backingFormat);
        AtomicImageFile.Create(path, options.Overwrite, options.Permissions, s => Qcow2Writer.Write(s, spec));
        return GetInfo(path, "qcow2");
    }

    /// <summary>Creates an internal snapshot (disk only) in a stopped image with <c>qemu-img snapshot -c</c>.</summary>
    /// <param name="path">The qcow2 image; no running VM may use it.</param>
    /// <param name="name">The snapshot name.</param>
    /// <param name="options">Timeout; null for the default.</param>
    /// <param name="cancellationToken">Cancels the operation (qemu-img is killed).</param>
    /// <exception cref="VirtException">OperationFailed with qemu-img's message, OperationTimeout, OperationAborted, InvalidArg, OpenFailed.</exception>
    public static void CreateSnapshot(string path, string name, QemuImgOptions? options = null, CancellationToken cancellationToken = default) =>
        Tool.CreateSnapshot(path, name, options, cancellationToken);

    /// <summary>Reverts a stopped image's disk to an internal snapshot with <c>qemu-img snapshot -a</c>.</summary>
    /// <param name="path">The qcow2 image; no running VM may use it.</param>
    /// <param name="name">The snapshot name or id.</param>
    /// <param name="options">Timeout; null for the default.</param>
    /// <param name="cancellationToken">Cancels the operation (qemu-img is killed).</param>
    /// <exception cref="VirtException">As <see cref="CreateSnapshot"/>.</exception>
    public static void ApplySnapshot(string path, string name, QemuImgOptions? options = null, CancellationToken cancellationToken = default) =>
        Tool.ApplySnapshot(path, name, options, cancellationToken);

    /// <summary>Deletes an internal snapshot from a stopped image with <c>qemu-img snapshot -d</c>.</summary>
    /// <param name="path">The qcow2 image; no running VM may use it.</param>
    /// <param name="name">The snapshot name or id.</param>
    /// <param name="options">Timeout; null for the default.</param>
    /// <param name="cancellationToken">Cancels the operation (qemu-img is killed).</param>
    /// <exception cref="VirtException">As <see cref="CreateSnapshot"/>.</exception>
    public static void DeleteSnapshot(string path, string name, QemuImgOptions? options = null, CancellationToken cancellationToken = default) =>
        Tool.DeleteSnapshot(path, name, options, cancellationToken);

    /// <summary>Writes an overlay's data into its backing file with <c>qemu-img commit</c>.</summary>
    /// <param name="path">The overlay.</param>
    /// <param name="options">Timeout; null for the default.</param>
    /// <param name="cancellationToken">Cancels the operation (qemu-img is killed).</param>
    /// <exception cref="VirtException">As <see cref="CreateSnapshot"/>.</exception>
    public static void Commit(string path, QemuImgOptions? options = null, CancellationToken cancellationToken = default) =>
        Tool.Commit(path, options, cancellationToken);

    /// <summary>Changes an overlay's backing file with <c>qemu-img rebase</c>.</summary>
    /// <param name="path">The overlay.</param>
    /// <param name="backingFile">The new backing file name to record (relative to the overlay's directory); empty for none:
    /// the overlay then gets every cluster of its old chain and stands alone (<paramref name="backingFormat"/> and
    /// <paramref name="unsafeRebase"/> are ignored).</param>
    /// <param name="backingFormat"><c>qcow2</c> or <c>raw</c>.</param>
    /// <param name="unsafeRebase">Only rewrite the recorded name and format (<c>-u</c>) without comparing data.</param>
    /// <param name="options">Timeout; null for the default.</param>
    /// <param name="cancellationToken">Cancels the operation (qemu-img is killed).</param>
    /// <exception cref="VirtException">As <see cref="CreateSnapshot"/>.</exception>
    public static void Rebase(string path, string backingFile, string backingFormat, bool unsafeRebase = false, QemuImgOptions? options = null, CancellationToken cancellationToken = default) =>
        Tool.Rebase(path, backingFile, backingFormat, unsafeRebase, options, cancellationToken);

    /// <summary>Copies an image (flattening its backing chain) into a new file with <c>qemu-img convert</c>.</summary>
    /// <param name="source">The source image.</param>
    /// <param name="destination">The new file; it must not exist.</param>
    /// <param name="outputFormat"><c>qcow2</c> or <c>raw</c>.</param>
    /// <param name="options">Timeout; null for the default.</param>
    /// <param name="cancellationToken">Cancels the operation (qemu-img is killed).</param>
    /// <exception cref="VirtException">As <see cref="CreateSnapshot"/>.</exception>
    public static void Convert(string source, string destination, string outputFormat = "qcow2", QemuImgOptions? options = null, CancellationToken cancellationToken = default) =>
        Tool.Convert(source, destination, outputFormat, options, cancellationToken);
}
