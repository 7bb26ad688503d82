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
