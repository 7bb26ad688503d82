namespace Virt.Cli.Shell;

/// <summary>The shell's standard input and output as a command that attaches them to a guest sees them.</summary>
/// <param name="Input">Standard input as text.</param>
/// <param name="IsTerminal">Whether standard input is a terminal.</param>
/// <param name="RawInput">Standard input as bytes, or null when only <paramref name="Input"/> is available (in-process runs).</param>
/// <param name="RawOutput">Standard output as bytes, or null to write text to the command's output.</param>
internal sealed record TerminalStreams(TextReader Input, bool IsTerminal, Stream? RawInput, Stream? RawOutput);
