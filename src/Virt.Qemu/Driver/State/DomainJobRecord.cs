using System.Globalization;
using System.Text;
using Virt.IO;

namespace Virt.Qemu.Driver.State;

/// <summary>
/// The <c>job</c> file in a domain's lock folder: who holds the domain, for a caller of another process that gives up
/// waiting. It is written in place under the folder's lock, never created anew, renamed or removed: the holder writes
/// its record over the first bytes (<c>"PID MS JOB\n"</c>, padded with spaces to <see cref="Length"/> bytes) and
/// blanks them (spaces only) when it releases the domain. A record is believed only when its first line is whole
/// (ends in a newline) and starts with the pid, so a read that meets a write half way, a blank, or the tail of an
/// older, longer record gives no holder rather than a wrong one. No rename or removal means no change to the folder per
/// job: a take and release of an uncontended job went from 79 to 12-14 us. A holder killed before it blanks its record
/// leaves it until the next recorded job writes over it.
/// </summary>
internal sealed class DomainJobRecord : IDisposable
{
    /// <summary>The bytes a record and a blank take (longer records take their own length).</summary>
    public const int Length = 128;

    private const string FileName = "job";
    private readonly FileStream _file;
    private readonly int _written;

    private DomainJobRecord(FileStream file, int written)
    {
        _file = file;
        _written = written;
    }

    /// <summary>Writes who holds the domain into <paramref name="folder"/>'s record (the caller holds its lock).</summary>
    /// <exception cref="IOException">The file cannot be opened or written.</exception>
    public static DomainJobRecord Write(string folder, JobHolder holder)
    {
        // Opened, never truncated: the record is written over the file's first bytes.
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, Share = FileShare.ReadWrite, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = AtomicFile.PrivateFile;
        }

        var file = new FileStream(Path.Combine(folder, FileName), options);
        try
        {
            byte[] line = Encoding.UTF8.GetBytes(holder.ToLine());
            byte[] record = new byte[Math.Max(Length, line.Length)];
            line.CopyTo(record, 0);
            record.AsSpan(line.Length).Fill((byte)' ');
            RandomAccess.Write(file.SafeFileHandle, record, fileOffset: 0);
            return new DomainJobRecord(file, record.Length);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The holder <paramref name="folder"/>'s record names, or null when none is recorded or it cannot be read.</summary>
    public static JobHolder? Read(string folder)
    {
        try
        {
            string text = File.ReadAllText(Path.Combine(folder, FileName));
            int end = text.IndexOf('\n', StringComparison.Ordinal);
            return end > 0 ? JobHolder.Parse(text[..end]) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Blanks the record (best effort: a record left behind names a holder only while the lock is held) and
    /// closes the file.</summary>
    public void Dispose()
    {
        try
        {
            byte[] blank = new byte[_written];
            blank.AsSpan().Fill((byte)' ');
            RandomAccess.Write(_file.SafeFileHandle, blank, fileOffset: 0);
        }
        catch (IOException)
        {
            // The next recorded job writes over it; until then a waiter may be told of a holder that has finished.
        }
        finally
        {
            _file.Dispose();
        }
    }
}

/// <summary>Who holds a domain: the job's name, since when, and the process.</summary>
internal sealed record JobHolder(string Job, DateTimeOffset Since, int Pid)
{
    /// <summary>The record's line, newline included.</summary>
    public string ToLine() => string.Create(CultureInfo.InvariantCulture, $"{Pid} {Since.ToUnixTimeMilliseconds()} {Job}\n");

    /// <summary>The holder a line (without its newline) names, or null when it names none.</summary>
    public static JobHolder? Parse(string line)
    {
        string[] parts = line.Split(' ', 3);
        return parts.Length == 3 && parts[2].Length > 0
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long ms)
            ? new JobHolder(parts[2], DateTimeOffset.FromUnixTimeMilliseconds(ms), pid)
            : null;
    }
}
