namespace Virt.Cli.Tests;

/// <summary>One case under Golden/: the command line and stdin of a run, and what virsh printed for it.</summary>
internal sealed class GoldenCase
{
    public static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Golden");

    private GoldenCase(string name)
    {
        Name = name;
        var args = new List<string> { "-c", "test:///default" };
        if (Read(".argv") is { } argv)
        {
            args.AddRange((argv.EndsWith('\n') ? argv[..^1] : argv).Split('\n'));
        }

        if (Read(".cmd") is { } commandString)
        {
            args.Add(commandString);
        }

        Args = args.ToArray();
        Stdin = Read(".stdin") ?? string.Empty;
        ExpectedStdout = (Read(".out") ?? string.Empty)
            .Replace("Welcome to virsh,", "Welcome to virt,", StringComparison.Ordinal)
            .Replace("virsh # ", "virt # ", StringComparison.Ordinal);
        ExpectedStderr = Read(".err") ?? string.Empty;
        VirshExitCode = int.Parse((Read(".rc") ?? "-1").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        ExpectedExitCode = VirshExitCode != 0 || AnyCommandFailed(ExpectedStderr) ? 1 : 0;
    }

    public string Name { get; }

    /// <summary>The arguments, starting with <c>-c test:///default</c> as the capture script passes them.</summary>
    public string[] Args { get; }

    public string Stdin { get; }

    /// <summary>virsh's stdout with its program name in the banner and prompt replaced by virt's.</summary>
    public string ExpectedStdout { get; }

    public string ExpectedStderr { get; }

    /// <summary>The exit status virsh returned: the last command's (always 0 for commands read from stdin).</summary>
    public int VirshExitCode { get; }

    /// <summary>
    /// virt's exit status for the case: 1 when virsh exited non-zero or any command in the case failed, else 0.
    /// This differs from virsh on purpose (docs: CLI.md, "the exit status is non-zero if any command failed"):
    /// virsh returns the last command's status, so a failure followed by a success exits 0 there.
    /// </summary>
    public int ExpectedExitCode { get; }

    /// <summary>Where virsh ran: relative file names in the cases resolve here.</summary>
    public static string FilesDirectory => Path.Combine(Directory, "files");

    public static GoldenCase Load(string name) => new(name);

    public static IEnumerable<string> Names() =>
        System.IO.Directory.EnumerateFiles(Directory)
            .Where(f => f.EndsWith(".cmd", StringComparison.Ordinal) || f.EndsWith(".argv", StringComparison.Ordinal) || f.EndsWith(".stdin", StringComparison.Ordinal))
            .Select(f => Path.GetFileNameWithoutExtension(f)!)
            .Distinct()
            .Order(StringComparer.Ordinal);

    /// <summary>
    /// Whether virsh's captured stderr shows a failed command: every failing virsh command reports
    /// <c>error: ...</c> (vshReportError), and a successful one prints no such line, except
    /// <c>echo --err</c>, whose output looks the same. No case relies on <c>echo --err</c> alone:
    /// the one that uses it (<c>echo</c>) also has a real failure.
    /// </summary>
    private static bool AnyCommandFailed(string stderr) =>
        stderr.Split('\n').Any(line => line.StartsWith("error: ", StringComparison.Ordinal));

    private string? Read(string extension)
    {
        string path = Path.Combine(Directory, Name + extension);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }
}
