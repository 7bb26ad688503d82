using System.Collections;
using System.Runtime.InteropServices;
using System.Text;

namespace Virt.Qemu.Driver.Process;

/// <summary>
/// posix_spawn(3) of QEMU in a session of its own (<c>POSIX_SPAWN_SETSID</c>), with every signal at its default and
/// none blocked, stdin on <c>/dev/null</c> and stdout and stderr appended to a log file. The new session is what
/// <c>-daemonize</c> gives, without QEMU forking twice and making its caller wait for the grandchild's set-up: neither
/// Ctrl-C in a terminal nor the end of the calling process reaches it. QEMU stays this process's child until it
/// exits; <see cref="TryReap"/> collects its exit status (<see cref="ProcessIdentity"/> does when it sees a zombie).
/// </summary>
internal static unsafe partial class QemuSpawn
{
    private const short SetSignalDefaults = 0x04;
    private const short SetSignalMask = 0x08;
    private const short SetSid = 0x80;
    private const int ReadOnly = 0;
    private const int WriteOnlyCreateAppend = 0x1 | 0x40 | 0x400 | 0x80000;
    private const uint PrivateMode = 0x180;
    private const int NoHang = 1;
    private const int NoChild = 10;

    // glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336 and sigset_t 128: room to spare.
    private const int OpaqueSize = 1024;

    /// <summary>Starts <paramref name="emulator"/> with <paramref name="arguments"/> and <paramref name="environment"/> added to this process's.</summary>
    /// <returns>The pid of the new process.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InternalError"/> when it cannot be started.</exception>
    public static int Start(string emulator, IReadOnlyList<string> arguments, string logFile, IReadOnlyDictionary<string, string> environment)
    {
        var argv = new List<string>(arguments.Count + 1) { emulator };
        argv.AddRange(arguments);
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            env[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        foreach (var (key, value) in environment)
        {
            env[key] = value;
        }

        var strings = new List<nint>();
        byte* actions = (byte*)NativeMemory.AllocZeroed(OpaqueSize);
        byte* attributes = (byte*)NativeMemory.AllocZeroed(OpaqueSize);
        byte* signals = (byte*)NativeMemory.AllocZeroed(OpaqueSize);
        byte** argvBlock = (byte**)NativeMemory.AllocZeroed((nuint)(argv.Count + 1), (nuint)sizeof(nint));
        byte** envBlock = (byte**)NativeMemory.AllocZeroed((nuint)(env.Count + 1), (nuint)sizeof(nint));
        try
        {
            byte* Utf8(string text)
            {
                byte* native = (byte*)Marshal.StringToCoTaskMemUTF8(text);
                strings.Add((nint)native);
                return native;
            }

            for (int i = 0; i < argv.Count; i++)
            {
                argvBlock[i] = Utf8(argv[i]);
            }

            int e = 0;
            foreach (var (key, value) in env)
            {
                envBlock[e++] = Utf8(key + "=" + value);
            }

            Check(FileActionsInit(actions), "posix_spawn_file_actions_init");
            Check(FileActionsAddOpen(actions, 0, Utf8("/dev/null"), ReadOnly, 0), "posix_spawn_file_actions_addopen");
            Check(FileActionsAddOpen(actions, 1, Utf8(logFile), WriteOnlyCreateAppend, PrivateMode), "posix_spawn_file_actions_addopen");
            Check(FileActionsAddDup2(actions, 1, 2), "posix_spawn_file_actions_adddup2");
            Check(AttrInit(attributes), "posix_spawnattr_init");
            Check(SigEmptySet(signals), "sigemptyset");
            Check(AttrSetSigMask(attributes, signals), "posix_spawnattr_setsigmask");
            Check(SigFillSet(signals), "sigfillset");
            Check(AttrSetSigDefault(attributes, signals), "posix_spawnattr_setsigdefault");
            Check(AttrSetFlags(attributes, SetSid | SetSignalDefaults | SetSignalMask), "posix_spawnattr_setflags");
            int error = PosixSpawn(out int pid, argvBlock[0], actions, attributes, argvBlock, envBlock);
            if (error != 0)
            {
                throw new VirtException(VirtErrorCode.InternalError, $"Failed to start QEMU binary {emulator}: {Marshal.GetPInvokeErrorMessage(error)}");
            }

            return pid;
        }
        finally
        {
            _ = FileActionsDestroy(actions);
            _ = AttrDestroy(attributes);
            foreach (nint native in strings)
            {
                Marshal.FreeCoTaskMem(native);
            }

            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(signals);
            NativeMemory.Free(argvBlock);
            NativeMemory.Free(envBlock);
        }
    }

    /// <summary>
    /// Collects the exit status of <paramref name="pid"/> if it is this process's child and has ended (a zombie no
    /// longer holds its pid). True when it has ended here: reaped now, or not (or no longer) a child of this process.
    /// </summary>
    public static bool TryReap(int pid)
    {
        int result = WaitPid(pid, out _, NoHang);
        return result == pid || (result < 0 && Marshal.GetLastPInvokeError() == NoChild);
    }

    /// <summary>Reaps <paramref name="pid"/>, a process that has ended, as soon as its last threads are gone (at most
    /// <paramref name="wait"/>); does nothing when it is not this process's child.</summary>
    public static void ReapWhenGone(int pid, TimeSpan wait)
    {
        long deadline = Environment.TickCount64 + (long)wait.TotalMilliseconds;
        while (!TryReap(pid) && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(1);
        }
    }

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new VirtException(VirtErrorCode.InternalError, $"cannot start QEMU: {call}: {Marshal.GetPInvokeErrorMessage(result)}");
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_spawn")]
    private static partial int PosixSpawn(out int pid, byte* path, byte* fileActions, byte* attributes, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(byte* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen")]
    private static partial int FileActionsAddOpen(byte* actions, int fd, byte* path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int FileActionsAddDup2(byte* actions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(byte* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int AttrInit(byte* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int AttrSetFlags(byte* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int AttrSetSigMask(byte* attributes, byte* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int AttrSetSigDefault(byte* attributes, byte* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int AttrDestroy(byte* attributes);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static partial int SigEmptySet(byte* signals);

    [LibraryImport("libc", EntryPoint = "sigfillset")]
    private static partial int SigFillSet(byte* signals);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, out int status, int options);
}
