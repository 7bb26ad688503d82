using System.Security.Cryptography;
using System.Text;

namespace Virt.IO;

/// <summary>
/// Crash-safe file creation, replacement and removal: the content goes to a hidden temporary file next to the
/// target (created with the requested mode, 0600 by default), is fsynced, takes the final name (rename, or link
/// when an existing name must not be replaced), and the directory is fsynced. A crash at any point leaves the old
/// file or the new one, never a torn one. The rename (or link, or unlink) is the point of no return: once made, a
/// failing directory fsync does not undo it, so it is returned as "made but maybe not durable" instead of thrown.
/// Every file-system call goes through <see cref="Steps"/>, the test seam.
/// </summary>
internal sealed class AtomicFile
{
    /// <summary>How temporary names end (they also start with a dot).</summary>
    public const string TempSuffix = ".tmp";

    /// <summary>rw-------.</summary>
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes through <paramref name="steps"/> (the real calls by default).</summary>
    public AtomicFile(FileSteps? steps = null) => Steps = steps ?? FileSteps.Host;

    /// <summary>Writes with the real calls, calling <paramref name="step"/> before each (see <see cref="HookedFileSteps"/>).</summary>
    /// <param name="durable">Whether to fsync.</param>
    /// <param name="step">Called with the step's name before each step; null for none.</param>
    public AtomicFile(bool durable, Action<string>? step = null)
        : this(step is null ? new FileSteps(durable) : new HookedFileSteps(durable, step))
    {
    }

    /// <summary>The file-system calls.</summary>
    public FileSteps Steps { get; }

    /// <summary>Whether writes are fsynced.</summary>
    public bool Durable => Steps.Durable;

    /// <summary>The hidden temporary name a write of <paramref name="path"/> uses.</summary>
    public static string TempNameFor(string path) =>
        Path.Combine(Path.GetDirectoryName(path) ?? "/", "." + Path.GetFileName(path) + "." + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)) + TempSuffix);

    /// <summary>Whether <paramref name="fileName"/> is a temporary name of an interrupted write.</summary>
    public static bool IsTempName(string fileName) => fileName.StartsWith('.') && fileName.EndsWith(TempSuffix, StringComparison.Ordinal);

    /// <summary>Replaces <paramref name="path"/> with <paramref name="contents"/> (UTF-8).</summary>
    /// <returns>Null when the change is durable; the directory fsync's error when the file was replaced but the
    /// replacement may not survive a crash.</returns>
    /// <exception cref="IOException">Nothing changed (the old file, if any, stays).</exception>
    /// <exception cref="UnauthorizedAccessException">Nothing changed.</exception>
    public IOException? Write(string path, string contents) =>
        Replace(path, PrivateFile, s => s.Write(Encoding.UTF8.GetBytes(contents)));

    /// <summary>Writes a new file at <paramref name="path"/> with <paramref name="write"/>, replacing what is there.</summary>
    /// <returns>As <see cref="Write(string, string)"/>.</returns>
    /// <exception cref="IOException">Nothing changed.</exception>
    /// <exception cref="UnauthorizedAccessException">Nothing changed.</exception>
    public IOException? Replace(string path, UnixFileMode mode, Action<FileStream> write)
    {
        Commit(path, mode, write, replace: true);
        return FlushDirectory(path);
    }

    /// <summary>Writes a new file at <paramref name="path"/> with <paramref name="write"/> only if the name is free.</summary>
    /// <param name="path">The name.</param>
    /// <param name="mode">The new file's permissions.</param>
    /// <param name="write">Writes the content.</param>
    /// <param name="notDurable">The directory fsync's error when the file is in place but may not survive a crash.</param>
    /// <returns>False (nothing changed) when the name is taken.</returns>
    /// <exception cref="IOException">Nothing changed.</exception>
    /// <exception cref="UnauthorizedAccessException">Nothing changed.</exception>
    public bool TryCreate(string path, UnixFileMode mode, Action<FileStream> write, out IOException? notDurable)
    {
        notDurable = null;
        if (!Commit(path, mode, write, replace: false))
        {
            return false;
        }

        notDurable = FlushDirectory(path);
        return true;
    }

    /// <summary>Removes <paramref name="path"/> (nothing happens when there is none).</summary>
    /// <returns>Null when the removal is durable (or there was nothing to remove); the directory fsync's error when
    /// the file is gone but the removal may not survive a crash.</returns>
    /// <exception cref="IOException">Nothing changed.</exception>
    /// <exception cref="UnauthorizedAccessException">Nothing changed.</exception>
    public IOException? Delete(string path)
    {
        bool existed = File.Exists(path);
        Steps.Unlink(path);
        return existed ? FlushDirectory(path) : null;
    }

    /// <summary>Puts the new file in place; false when <paramref name="replace"/> is off and the name is taken.</summary>
    private bool Commit(string path, UnixFileMode mode, Action<FileStream> write, bool replace)
    {
        string temp = TempNameFor(path);
        bool named = false;
        try
        {
            using (var stream = Steps.CreateTemp(temp, mode))
            {
                write(stream);
                Steps.Fsync(stream);
            }

            if (replace)
            {
                Steps.Rename(temp, path);
                named = true;
                return true;
            }

            if (!Steps.LinkNoReplace(temp, path))
            {
                return false;
            }

            named = true;
            TryUnlink(temp);
            return true;
        }
        finally
        {
            if (!named)
            {
                TryUnlink(temp);
            }
        }
    }

    private IOException? FlushDirectory(string path)
    {
        try
        {
            Steps.FsyncDirectory(Path.GetDirectoryName(path) ?? "/");
            return null;
        }
        catch (IOException ex)
        {
            return ex;
        }
        catch (UnauthorizedAccessException ex)
        {
            return new IOException(ex.Message, ex);
        }
    }

    private void TryUnlink(string temp)
    {
        try
        {
            Steps.Unlink(temp);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the temporary name is unique and hidden, and the loader of the folder removes leftovers.
        }
    }
}
