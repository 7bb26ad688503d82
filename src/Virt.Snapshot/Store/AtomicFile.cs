using System.Text;

namespace Virt.Snapshot.Store;

/// <summary>
/// Crash-safe file replacement and removal: write a temporary file next to the target (0600), fsync it, rename
/// it over the target, fsync the directory. A crash at any point leaves the old file or the new one, never a
/// torn one. The rename (or unlink) is the point of no return: once it happened, a failing directory fsync does not
/// undo it, so it is returned as "made but maybe not durable" instead of thrown. <see cref="Step"/> is a test seam
/// called before each step (a step that throws an <see cref="IOException"/> plays that step failing).
/// </summary>
internal sealed class AtomicFile
{
    public const string TempSuffix = ".tmp";

    private const UnixFileMode FileMode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public AtomicFile(bool durable = true, Action<string>? step = null)
    {
        Durable = durable;
        Step = step;
    }

    /// <summary>Whether to fsync (off only for benchmarks that build huge stores).</summary>
    public bool Durable { get; }

    /// <summary>Called with the step's name before each step ("write", "fsync", "rename", "fsync-dir", "unlink").</summary>
    public Action<string>? Step { get; }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="contents"/>.</summary>
    /// <returns>Null when the change is durable; the directory fsync's error when the file was replaced but the
    /// replacement may not survive a crash.</returns>
    /// <exception cref="IOException">Nothing changed (the old file, if any, stays).</exception>
    public IOException? Write(string path, string contents)
    {
        string dir = Path.GetDirectoryName(path)!;
        string temp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + TempSuffix);
        byte[] bytes = Encoding.UTF8.GetBytes(contents);
        try
        {
            Step?.Invoke("write");
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = FileMode600;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(bytes);
                Step?.Invoke("fsync");
                stream.Flush(flushToDisk: Durable);
            }

            Step?.Invoke("rename");
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        return FlushDirectory(dir);
    }

    /// <summary>Removes <paramref name="path"/> (nothing happens when there is none).</summary>
    /// <returns>Null when the removal is durable (or there was nothing to remove); the directory fsync's error when
    /// the file is gone but the removal may not survive a crash.</returns>
    /// <exception cref="IOException">Nothing changed.</exception>
    public IOException? Delete(string path)
    {
        Step?.Invoke("unlink");
        if (!File.Exists(path))
        {
            return null;
        }

        File.Delete(path);
        return FlushDirectory(Path.GetDirectoryName(path)!);
    }

    private IOException? FlushDirectory(string dir)
    {
        try
        {
            Step?.Invoke("fsync-dir");
            if (Durable)
            {
                Virt.IO.DirectorySync.Flush(dir);
            }

            return null;
        }
        catch (IOException ex)
        {
            return ex;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
