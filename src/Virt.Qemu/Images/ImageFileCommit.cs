namespace Virt.Qemu.Images;

/// <summary>The file-system steps that put a written temporary file in place (replaced by tests to inject faults).</summary>
internal interface IImageFileCommit
{
    /// <summary>Gives the temporary file the final name only if that name is free; false when it is taken.</summary>
    bool LinkNoReplace(string temp, string path);

    /// <summary>Renames the temporary file over the final name.</summary>
    void Replace(string temp, string path);

    /// <summary>Removes the temporary name.</summary>
    void Delete(string temp);

    /// <summary>Flushes the directory's entries to disk.</summary>
    void SyncDirectory(string directory);
}

/// <summary>The real steps: link(2), rename(2), unlink(2) and fsync(2) on the directory.</summary>
internal sealed class HostImageFileCommit : IImageFileCommit
{
    public static HostImageFileCommit Instance { get; } = new();

    public bool LinkNoReplace(string temp, string path) => NativeMethods.TryLinkNoReplace(temp, path);

    public void Replace(string temp, string path) => File.Move(temp, path, overwrite: true);

    public void Delete(string temp) => File.Delete(temp);

    public void SyncDirectory(string directory) => Virt.IO.DirectorySync.Flush(directory);
}
