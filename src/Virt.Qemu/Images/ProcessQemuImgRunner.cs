using System.ComponentModel;
using System.Diagnostics;

namespace Virt.Qemu.Images;

/// <summary>Runs the real qemu-img binary.</summary>
internal sealed class ProcessQemuImgRunner : IQemuImgRunner
{
    public ProcessQemuImgRunner(string executable = "qemu-img")
    {
        Executable = executable;
    }

    public string Executable { get; }

    public QemuImgResult Run(IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(Executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["LC_ALL"] = "C";
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new VirtException(VirtErrorCode.OperationFailed, $"cannot run '{Executable}': {ex.Message}; install qemu-utils", ex);
        }

        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        Task<string> stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeoutCts = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutCts.Token, cancellationToken);
        try
        {
            process.WaitForExitAsync(linked.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            string command = Describe(arguments);
            if (cancellationToken.IsCancellationRequested)
            {
                throw new VirtException(VirtErrorCode.OperationAborted, $"{command} was cancelled");
            }

            throw new VirtException(VirtErrorCode.OperationTimeout, $"{command} did not finish within {timeout.TotalSeconds:0.###} s and was killed");
        }

        return new QemuImgResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    internal static string Describe(IReadOnlyList<string> arguments) =>
        "qemu-img" + (arguments.Count > 0 ? " " + arguments[0] : "");

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
