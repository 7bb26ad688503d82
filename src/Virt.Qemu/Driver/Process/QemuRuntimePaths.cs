namespace Virt.Qemu.Driver.Process;

/// <summary>The files a running domain's QEMU uses, all chosen by the state root, none from the definition.</summary>
/// <param name="QmpSocket">The QMP monitor socket.</param>
/// <param name="PidFile">Where QEMU writes its pid.</param>
/// <param name="LogDirectory">The folder for the domain's character-device logs.</param>
/// <param name="Nvram">The domain's own NVRAM file when the definition asks for one and names none, or null.</param>
/// <param name="EventSocket">A second QMP monitor socket, which one process at a time keeps open (<c>MonitorLease</c>), or null for none.</param>
internal sealed record QemuRuntimePaths(string QmpSocket, string PidFile, string LogDirectory, string? Nvram, string? EventSocket = null);
