namespace Virt.Qemu.Images;

/// <summary>The outcome of one qemu-img run.</summary>
internal sealed record QemuImgResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs qemu-img with an argument array (never through a shell). The seam tests replace with Moq.</summary>
internal interface IQemuImgRunner
{
    /// <summary>
    /// Runs qemu-img and returns its exit code and output. Throws <see cref="VirtException"/> with
    /// <see cref="VirtErrorCode.OperationTimeout"/> when <paramref name="timeout"/> passes,
    /// <see cref="VirtErrorCode.OperationAborted"/> when cancelled (the process is killed in both cases),
    /// and <see cref="VirtErrorCode.OperationFailed"/> when qemu-img cannot be started.
    /// </summary>
    QemuImgResult Run(IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken);
}
