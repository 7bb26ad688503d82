using Virt.Cli.Shell;

namespace Virt.Cli;

/// <summary>The <c>virt</c> executable: the shell wired to the console.</summary>
internal static class Program
{
    /// <summary>Runs <c>virt</c> with the console's streams.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The exit status.</returns>
    public static int Main(string[] args)
    {
        using var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        using var stderr = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
        DriverSetup.RegisterAll();
        var host = new ShellHost(Console.In, stdout, stderr, !Console.IsInputRedirected, Environment.GetEnvironmentVariable, uri => VirtConnection.Open(uri),
            Console.OpenStandardInput(), Console.OpenStandardOutput());
        return new VirtShell(host).Run(args);
    }

    /// <summary>Runs <c>virt</c> in-process: the entry point for tests and embedding.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="input">Standard input.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="inputIsTerminal">Whether lines read from <paramref name="input"/> were typed at a terminal.</param>
    /// <returns>The exit status.</returns>
    public static int Run(string[] args, TextReader input, TextWriter output, TextWriter error, bool inputIsTerminal = false)
    {
        DriverSetup.RegisterAll();
        var host = new ShellHost(input, output, error, inputIsTerminal, Environment.GetEnvironmentVariable, uri => VirtConnection.Open(uri));
        return new VirtShell(host).Run(args);
    }
}
