namespace Virt.Qemu.Images;

/// <summary>Options for operations that run qemu-img.</summary>
public sealed class QemuImgOptions
{
    /// <summary>How long qemu-img may run before it is killed (default 10 minutes).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
}
