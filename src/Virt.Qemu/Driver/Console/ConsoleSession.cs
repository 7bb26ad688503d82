using System.Globalization;
using Virt.Drivers.Rules;
using Virt.IO;
using Virt.Qemu.Driver.Process;

namespace Virt.Qemu.Driver.Console;

/// <summary>
/// Who holds a domain's character device, across threads and processes (libvirt's <c>virChrdevOpen</c>): a file in
/// the domain's runtime folder names the holding process (pid and start time) and its session. A second open is
/// refused while a live holder has it; a forced open writes its own session over it, and the old stream ends when it
/// sees the file no longer names it. The file goes with the runtime folder when the domain stops.
/// </summary>
internal sealed class ConsoleSession : IDisposable
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(5);

    private readonly string _folder;
    private readonly string _file;
    private readonly string _token;
    private int _disposed;

    private ConsoleSession(string folder, string file, string token)
    {
        _folder = folder;
        _file = file;
        _token = token;
    }

    /// <summary>Takes the device <paramref name="alias"/> for this process.</summary>
    /// <param name="runFolder">The domain's runtime folder.</param>
    /// <param name="alias">The device's alias.</param>
    /// <param name="force">Take it from a live holder.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationFailed"/> when a live holder has it and <paramref name="force"/> is false;
    /// <see cref="VirtErrorCode.OperationInvalid"/> when the domain's runtime folder is gone (it stopped).</exception>
    public static ConsoleSession Claim(string runFolder, string alias, bool force)
    {
        if (!Directory.Exists(runFolder))
        {
            // The domain stopped since it was found running; its runtime folder must not come back for a session.
            throw new VirtException(VirtErrorCode.OperationInvalid, "domain is not running");
        }

        string folder = Path.Combine(runFolder, "console");
        PrivateDirectory.Create(folder);
        string file = Path.Combine(folder, DomainFileName.ToPathComponent(alias) + ".session");
        var self = ProcessIdentity.Read(Environment.ProcessId)
            ?? throw new VirtException(VirtErrorCode.InternalError, "cannot read this process's start time");
        string token = string.Create(CultureInfo.InvariantCulture, $"{self.Pid} {self.StartTime} {Guid.NewGuid():N}");
        using (Lock(folder))
        {
            if (!force && Holder(file) is { IsAlive: true })
            {
                throw new VirtException(VirtErrorCode.OperationFailed, "Active console session exists for this domain");
            }

            new AtomicFile(durable: false).Write(file, token);
        }

        return new ConsoleSession(folder, file, token);
    }

    /// <summary>Whether this session still holds the device (false once another took it over, or the domain stopped).</summary>
    public bool IsHeld
    {
        get
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return false;
            }

            try
            {
                return File.ReadAllText(_file) == _token;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }
    }

    /// <summary>Gives the device up, unless another session has taken it over meanwhile.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || !Directory.Exists(_folder))
        {
            return;
        }

        try
        {
            using (Lock(_folder))
            {
                if (File.Exists(_file) && File.ReadAllText(_file) == _token)
                {
                    File.Delete(_file);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or VirtException)
        {
            // The domain stopped meanwhile and its runtime folder went with the session file.
        }
    }

    private static ProcessIdentity? Holder(string file)
    {
        string[] parts;
        try
        {
            parts = File.ReadAllText(file).Split(' ');
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return parts.Length == 3 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start)
            ? new ProcessIdentity(pid, start) : null;
    }

    private static FolderLock Lock(string folder)
    {
        long deadline = Environment.TickCount64 + (long)LockWait.TotalMilliseconds;
        while (true)
        {
            if (FolderLock.TryAcquire(folder, out _) is { } held)
            {
                return held;
            }

            if (Environment.TickCount64 > deadline)
            {
                throw new VirtException(VirtErrorCode.OperationTimeout, "the console's session file stays locked");
            }

            Thread.Sleep(1);
        }
    }
}
