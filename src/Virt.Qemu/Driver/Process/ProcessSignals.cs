using System.Runtime.InteropServices;

namespace Virt.Qemu.Driver.Process;

/// <summary>Sends signals to a QEMU known by its identity, whether this process spawned it or another did.</summary>
internal static partial class ProcessSignals
{
    /// <summary>SIGTERM.</summary>
    public const int Terminate = 15;

    /// <summary>SIGKILL.</summary>
    public const int Kill = 9;

    private const int NoSuchProcess = 3;

    /// <summary>Sends <paramref name="signal"/> to the process if it is still the one identified.</summary>
    /// <returns>False when the process is already gone.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.SystemError"/> when the signal cannot be sent.</exception>
    public static bool Send(ProcessIdentity process, int signal)
    {
        if (!process.IsAlive)
        {
            return false;
        }

        if (SysKill(process.Pid, signal) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        if (errno == NoSuchProcess)
        {
            return false;
        }

        throw new VirtException(VirtErrorCode.SystemError,
            $"Failed to kill process {process.Pid}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}
