using System.ComponentModel;
using System.Diagnostics;

namespace Virt.Qemu.Images;

/// <summary>Runs a real QEMU tool binary: qemu-img, unless another is named (the emulator is asked its version this way).</summary>
internal sealed class ProcessQemuImgRunner : IQemuImgRunner
{
    private readonly string _tool;
    private readonly string? _installHint;

    /// <param name="executable">The binary, found on PATH unless a path.</param>
    /// <param name="tool">The tool's name in timeout and cancellation messages.</param>
    /// <param name="installHint">What a binary that cannot be run asks the user to do, or null.</param>
    public ProcessQemuImgRunner(string executable = "qemu-img", string tool = "qemu-img", string? installHint = "install qemu-utils")
    {
        Executable = executable;
        _tool = tool;
        _installHint = installHint;
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
            string hint = _installHint is null ? "" : "; " + _installHint;
            throw new VirtException(VirtErrorCode.OperationFailed, $"cannot run '{Executable}': {ex.Message}{hint}", ex);
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

    private string Describe(IReadOnlyList<string> arguments) =>
        _tool + (arguments.Count > 0 ? " " + arguments[0] : "");

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
