using System.Diagnostics;

namespace Virt.Aot.Tests;

/// <summary>Runs programs (the dotnet CLI, published apps) and the repository's layout.</summary>
internal static class DotnetCli
{
    /// <summary>The repository root: the folder above this test's output that holds Virt.sln.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Runs <c>dotnet</c> in the repository root; fails the test with its output when it exits non-zero.</summary>
    public static string Dotnet(IDictionary<string, string>? environment, params string[] args)
    {
        var (code, stdout, stderr) = Run("dotnet", args, environment);
        Assert.That(code, Is.Zero, $"dotnet {string.Join(' ', args)} failed:\n{stdout}\n{stderr}");
        return stdout;
    }

    /// <summary>Runs a program and returns its exit code and both outputs.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string program, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Virt.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Virt.sln not found above " + AppContext.BaseDirectory);
    }
}
