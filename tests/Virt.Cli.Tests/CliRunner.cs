using Virt.Cli.Shell;

namespace Virt.Cli.Tests;

/// <summary>Runs <c>virt</c> in-process and captures what it printed.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs the real program entry (real drivers, real environment).</summary>
    public static Result RunProgram(string[] args, string stdin = "")
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int rc = Program.Run(args, new StringReader(stdin), output, error);
        return new Result(rc, output.ToString(), error.ToString());
    }

    /// <summary>Runs a program as a separate process and captures its exit code and output.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunProcess(string program, IEnumerable<string> args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>Runs the shell against a given connection (for example a Moq'd one).</summary>
    public static Result RunShell(
        IVirtConnection connection,
        string[] args,
        string stdin = "",
        bool terminal = false,
        IDictionary<string, string>? environment = null,
        Action<string>? onOpen = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var host = new ShellHost(
            new StringReader(stdin),
            output,
            error,
            terminal,
            name => environment is not null && environment.TryGetValue(name, out var v) ? v : null,
            uri =>
            {
                onOpen?.Invoke(uri);
                return connection;
            });
        int rc = new VirtShell(host).Run(args);
        return new Result(rc, output.ToString(), error.ToString());
    }
}
