namespace Virt.IO;

/// <summary>
/// The file-system calls an atomic write is made of, one virtual method per call, in the order
/// <see cref="AtomicFile"/> makes them: create the temporary file, fsync it, rename (or link) it to its name,
/// unlink, fsync the directory. The one test seam for crash-safe writes: a test derives from it to observe the
/// real sequence or to make a step fail (an <see cref="IOException"/> thrown before calling the base method
/// plays the call failing). <see cref="Host"/> makes the real calls.
/// </summary>
internal class FileSteps
{
    /// <summary>Creates a steps object that makes the real calls.</summary>
    /// <param name="durable">Whether to fsync at all (false only for benchmarks and test set-up that build huge
    /// stores).</param>
    public FileSteps(bool durable = true) => Durable = durable;

    /// <summary>The real calls, with fsync.</summary>
    public static FileSteps Host { get; } = new();

    /// <summary>The real calls without fsync: for files a host crash makes moot (runtime state), or folders whose
    /// flush the caller makes itself later.</summary>
    public static FileSteps Unflushed { get; } = new(durable: false);

    /// <summary>Whether <see cref="Fsync"/> and <see cref="FsyncDirectory"/> flush to disk.</summary>
    public bool Durable { get; }

    /// <summary>Creates a new file (never an existing one) with <paramref name="mode"/> for writing.</summary>
    /// <exception cref="IOException">It exists or cannot be created.</exception>
    public virtual FileStream CreateTemp(string path, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 1 << 16 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        return new FileStream(path, options);
    }

    /// <summary>Flushes the written file to disk (fsync).</summary>
    public virtual void Fsync(FileStream stream) => stream.Flush(flushToDisk: Durable);

    /// <summary>Renames <paramref name="from"/> over <paramref name="to"/> (rename(2)).</summary>
    public virtual void Rename(string from, string to) => File.Move(from, to, overwrite: true);

    /// <summary>Gives <paramref name="from"/> the name <paramref name="to"/> only if it is free (link(2)); false when taken.</summary>
    public virtual bool LinkNoReplace(string from, string to) => NativeMethods.TryLinkNoReplace(from, to);

    /// <summary>Removes a name (unlink(2)); nothing happens when there is none.</summary>
    public virtual void Unlink(string path) => File.Delete(path);

    /// <summary>Flushes a directory's entries to disk.</summary>
    public virtual void FsyncDirectory(string directory)
    {
        if (Durable)
        {
            DirectorySync.Flush(directory);
        }
    }
}

/// <summary>The real steps with a callback before each, named "write" (create and write the temporary file),
/// "fsync", "rename", "link", "unlink" and "fsync-dir": the crash tests kill the process or throw there.</summary>
internal sealed class HookedFileSteps : FileSteps
{
    private readonly Action<string> _before;

    public HookedFileSteps(bool durable, Action<string> before)
        : base(durable) => _before = before;

    public override FileStream CreateTemp(string path, UnixFileMode mode)
    {
        _before("write");
        return base.CreateTemp(path, mode);
    }

    public override void Fsync(FileStream stream)
    {
        _before("fsync");
        base.Fsync(stream);
    }

    public override void Rename(string from, string to)
    {
        _before("rename");
        base.Rename(from, to);
    }

    public override bool LinkNoReplace(string from, string to)
    {
        _before("link");
        return base.LinkNoReplace(from, to);
    }

    public override void Unlink(string path)
    {
        _before("unlink");
        base.Unlink(path);
    }

    public override void FsyncDirectory(string directory)
    {
        _before("fsync-dir");
        base.FsyncDirectory(directory);
    }
}
