namespace Virt.Cli.Shell;

/// <summary>What the shell needs from its surroundings, so tests can run it in-process.</summary>
/// <param name="Input">Standard input.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="InputIsTerminal">Whether standard input is a terminal (then typed lines are not echoed).</param>
/// <param name="GetEnvironmentVariable">Reads an environment variable.</param>
/// <param name="OpenConnection">Opens a connection to a URI.</param>
/// <param name="RawInput">Standard input as bytes, for <c>console</c>; null to use <paramref name="Input"/>.</param>
/// <param name="RawOutput">Standard output as bytes, for <c>console</c>; null to use <paramref name="Output"/>.</param>
internal sealed record ShellHost(
    TextReader Input,
    TextWriter Output,
    TextWriter Error,
    bool InputIsTerminal,
    Func<string, string?> GetEnvironmentVariable,
    Func<string, IVirtConnection> OpenConnection,
    Stream? RawInput = null,
    Stream? RawOutput = null);
