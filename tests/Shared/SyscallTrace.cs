using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Virt.TestSupport;

/// <summary>
/// The file-system calls the kernel really received from the calling thread, as seen by strace attached to it:
/// the oracle of the durability tests. A seam can only show that a step was asked for; this shows that the temporary
/// file was fsynced, renamed (not copied) and its folder fsynced, whatever the code in between does.
/// Linked into the test projects that check a writer.
/// </summary>
internal sealed partial class SyscallTrace : IDisposable
{
    private const string Calls = "open,openat,creat,fsync,fdatasync,rename,renameat,renameat2,link,linkat,unlink,unlinkat,copy_file_range,sendfile,ioctl";

    private readonly Process _strace;
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _lineArrived = new(0);
    private readonly string _markerDir = "/nonexistent-virt-trace-" + Guid.NewGuid().ToString("N");
    private int _markers;
    private bool _disposed;

    private SyscallTrace(Process strace)
    {
        _strace = strace;
        _strace.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Add(e.Data);
            }

            _lineArrived.Release();
        };
        _strace.BeginErrorReadLine();
    }

    /// <summary>Attaches strace to the calling thread and returns once it reports that thread's calls.</summary>
    public static SyscallTrace OfThisThread()
    {
        Assert.That(File.Exists("/usr/bin/strace"), Is.True, "strace is not installed (scripts/install-deps.sh installs it)");
        string thread = new DirectoryInfo("/proc/thread-self").LinkTarget!; // "PID/task/TID"
        var psi = new ProcessStartInfo("strace") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { "-qq", "-y", "-s", "4096", "-e", "trace=" + Calls, "-p", thread[(thread.LastIndexOf('/') + 1)..] })
        {
            psi.ArgumentList.Add(arg);
        }

        var trace = new SyscallTrace(Process.Start(psi)!);
        trace.Mark();
        return trace;
    }

    /// <summary>Detaches and returns the calls that name a path under <paramref name="folder"/>, one per line, as
    /// strace printed them (fd arguments carry their path).</summary>
    public IReadOnlyList<string> Stop(string folder)
    {
        Mark();
        Dispose();
        lock (_lines)
        {
            return _lines.Where(l => l.Contains(folder, StringComparison.Ordinal) && !l.Contains(_markerDir, StringComparison.Ordinal)).ToList();
        }
    }

    /// <summary>
    /// The calls in <paramref name="lines"/> that matter for durability, in order, with <paramref name="folder"/>
    /// written as DIR and the random part of temporary names as TEMP: "create NAME" (a new file, O_CREAT|O_EXCL),
    /// "open-for-write NAME" (an existing or truncated name opened to write: how a copy writes),
    /// "fsync NAME", "rename FROM TO", "link FROM TO", "unlink NAME", "copy" and "fsync DIR".
    /// </summary>
    public static string[] Durability(IEnumerable<string> lines, string folder)
    {
        string Name(string path)
        {
            string trimmed = path.TrimEnd('/');
            string name = trimmed == folder.TrimEnd('/') ? "DIR" : Path.GetRelativePath(folder, trimmed);
            return TempPart().Replace(name, ".TEMP.tmp");
        }

        var events = new List<string>();
        foreach (string line in lines)
        {
            Match call = CallLine().Match(line);
            if (!call.Success || call.Groups["result"].Value.StartsWith('-'))
            {
                continue;
            }

            string args = call.Groups["args"].Value;
            string[] paths = [.. QuotedPath().Matches(args).Select(m => m.Groups[1].Value)];
            string[] fds = [.. FdPath().Matches(args).Select(m => m.Groups[1].Value)];
            switch (call.Groups["name"].Value)
            {
                case "open" or "openat" or "creat" when paths.Length == 1 && paths[0].StartsWith(folder, StringComparison.Ordinal):
                    if (args.Contains("O_EXCL", StringComparison.Ordinal))
                    {
                        events.Add("create " + Name(paths[0]));
                    }
                    else if (call.Groups["name"].Value == "creat" || args.Contains("O_WRONLY", StringComparison.Ordinal) || args.Contains("O_RDWR", StringComparison.Ordinal) || args.Contains("O_TRUNC", StringComparison.Ordinal))
                    {
                        events.Add("open-for-write " + Name(paths[0]));
                    }

                    break;
                case "fsync" or "fdatasync" when fds.Length == 1:
                    events.Add("fsync " + Name(fds[0]));
                    break;
                case "rename" or "renameat" or "renameat2" when paths.Length == 2:
                    events.Add("rename " + Name(paths[0]) + " " + Name(paths[1]));
                    break;
                case "link" or "linkat" when paths.Length == 2:
                    events.Add("link " + Name(paths[0]) + " " + Name(paths[1]));
                    break;
                case "unlink" or "unlinkat" when paths.Length == 1:
                    events.Add("unlink " + Name(paths[0]));
                    break;
                case "copy_file_range" or "sendfile":
                    events.Add("copy");
                    break;
                case "ioctl" when args.Contains("FICLONE", StringComparison.Ordinal):
                    events.Add("copy");
                    break;
            }
        }

        return [.. events];
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_strace.HasExited)
        {
            // SIGINT: strace detaches from the thread and exits.
            using var kill = Process.Start("kill", ["-INT", _strace.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
            _strace.WaitForExit();
        }

        _strace.Dispose();
    }

    /// <summary>Makes a call strace prints (an open of a name that does not exist) and waits for its line: every call
    /// before it has then been printed.</summary>
    private void Mark()
    {
        string marker = _markerDir + "/" + _markers++;
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                File.OpenHandle(marker).Dispose();
            }
            catch (DirectoryNotFoundException)
            {
            }

            // Until strace is attached, the open goes unseen: open again after each line (or quiet spell) until it shows.
            while (_lineArrived.Wait(TimeSpan.FromMilliseconds(200)))
            {
                lock (_lines)
                {
                    if (_lines.Any(l => l.Contains(marker, StringComparison.Ordinal)))
                    {
                        return;
                    }
                }
            }

            lock (_lines)
            {
                if (_lines.Any(l => l.Contains(marker, StringComparison.Ordinal)))
                {
                    return;
                }
            }

            if (_strace.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException("strace never showed the marker call: " + string.Join("\n", _lines));
            }
        }
    }

    [GeneratedRegex(@"^(?:\[pid +\d+\] )?(?<name>\w+)\((?<args>.*)\) += (?<result>-?\d+)")]
    private static partial Regex CallLine();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex QuotedPath();

    [GeneratedRegex(@"\d+<([^>]*)>")]
    private static partial Regex FdPath();

    [GeneratedRegex(@"\.[0-9A-F]{12}\.tmp$")]
    private static partial Regex TempPart();
}
