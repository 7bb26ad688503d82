using System.Runtime.InteropServices;

namespace Virt.Cli.Shell;

/// <summary>Standard input's terminal in raw mode (no echo, no line editing, no signals from keys) until disposed, as
/// virsh's console sets it; the previous settings come back on dispose.</summary>
internal sealed partial class RawTerminal : IDisposable
{
    // glibc's struct termios on Linux is 60 bytes; the buffers leave room.
    private const int TermiosSize = 64;
    private const int StdIn = 0;
    private const int SetAfterDrain = 1;

    private readonly byte[] _saved;

    private RawTerminal(byte[] saved) => _saved = saved;

    /// <summary>Puts standard input in raw mode; null when it is not a terminal (or its settings cannot be read).</summary>
    public static RawTerminal? Enter()
    {
        byte[] saved = new byte[TermiosSize];
        if (TcGetAttr(StdIn, saved) != 0)
        {
            return null;
        }

        byte[] raw = (byte[])saved.Clone();
        CfMakeRaw(raw);
        return TcSetAttr(StdIn, SetAfterDrain, raw) == 0 ? new RawTerminal(saved) : null;
    }

    /// <summary>Restores the settings the terminal had.</summary>
    public void Dispose() => _ = TcSetAttr(StdIn, SetAfterDrain, _saved);

    [LibraryImport("libc", EntryPoint = "tcgetattr")]
    private static partial int TcGetAttr(int fd, [Out] byte[] termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr")]
    private static partial int TcSetAttr(int fd, int optionalActions, byte[] termios);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    private static partial void CfMakeRaw([In, Out] byte[] termios);
}
