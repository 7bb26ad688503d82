using System.Globalization;
using System.Text.Json.Nodes;
using Virt.Conf;

namespace Virt.Qemu.Driver.Process;

/// <summary>
/// Turns a domain definition into QEMU's argument array, as libvirt's qemu_command.c does: devices as JSON
/// (<c>-blockdev</c>, <c>-device</c>, <c>-netdev</c>), the few QemuOpts-only options escaped by
/// <see cref="QemuOpts"/>, the QMP socket, <c>-S</c> (vCPUs start only after the setup over QMP) and
/// <c>-daemonize</c> (QEMU leaves the caller's session, so it outlives the process that started it). Pure:
/// it reads no file; what needs the host (images, emulator, firmware, KVM) is checked before launch.
/// </summary>
internal static partial class QemuCommandLine
{
    /// <summary>The emulator used when the definition names none.</summary>
    public const string DefaultEmulator = "/usr/bin/qemu-system-x86_64";

    /// <summary>The machine type used when the definition names none (QEMU's default for x86_64).</summary>
    public const string DefaultMachine = "pc";

    /// <summary>Builds the command that starts <paramref name="def"/> paused, with its runtime files at <paramref name="paths"/>;
    /// with <paramref name="incoming"/>, QEMU waits for its state to arrive by <c>migrate-incoming</c> (<c>-incoming defer</c>).</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.ConfigUnsupported"/> for what this driver cannot run, naming the element.</exception>
    public static QemuCommand Build(DomainDefinition def, QemuRuntimePaths paths, bool incoming = false)
    {
        string emulator = Emulator(def);
        string machine = def.Os.Machine ?? DefaultMachine;
        var args = new List<string>();
        Add(args, "-name", new QemuOpts().Add("guest", def.Name).Add("debug-threads", true).ToString());
        if (def.Uuid is { } uuid)
        {
            Add(args, "-uuid", uuid.ToString("D"));
        }

        var pflash = AddPflash(def, paths, args);
        var machineOpts = new QemuOpts(machine).Add("accel", Accelerator(def, emulator)).Add("usb", false);
        if (pflash is not null)
        {
            machineOpts.Add("pflash0", pflash.Code).Add("pflash1", pflash.Nvram);
        }

        Add(args, "-machine", machineOpts.ToString());
        if (CpuModel(def) is { } cpu)
        {
            Add(args, "-cpu", cpu);
        }

        Add(args, "-m", new QemuOpts().Add("size", def.MemoryKiB.ToString(CultureInfo.InvariantCulture) + "k").ToString());
        Add(args, "-smp", Smp(def));
        args.Add("-no-user-config");
        args.Add("-nodefaults");
        Add(args, "-chardev", new QemuOpts("socket").Add("id", "charmonitor").Add("path", paths.QmpSocket).Add("server", true).Add("wait", false).ToString());
        Add(args, "-mon", "chardev=charmonitor,id=monitor,mode=control");
        if (paths.EventSocket is { } events)
        {
            Add(args, "-chardev", new QemuOpts("socket").Add("id", "charevents").Add("path", events).Add("server", true).Add("wait", false).ToString());
            Add(args, "-mon", "chardev=charevents,id=events,mode=control");
        }

        Add(args, "-rtc", def.Clock.Offset == "localtime" ? "base=localtime" : "base=utc");
        if (def.OnReboot == "destroy")
        {
            args.Add("-no-reboot");
        }

        // A guest that powers off leaves QEMU in 'shutdown' instead of ending it, so the driver can tell a shutdown from a crash.
        args.Add("-no-shutdown");
        Add(args, "-boot", "strict=on");
        AddKernel(def.Os, args);
        var disks = AddDisks(def, IsQ35(machine), args);
        AddInterfaces(def.Devices, args);
        AddSerials(def.Devices, paths, args);
        AddGraphics(def.Devices, args);
        if (def.Devices.MemBalloon is { Model: "virtio" })
        {
            AddDevice(args, new JsonObject { ["driver"] = "virtio-balloon-pci", ["id"] = "balloon0" });
        }

        Add(args, "-msg", "timestamp=on");
        Add(args, "-pidfile", paths.PidFile);
        args.Add("-daemonize");
        args.Add("-S");
        if (incoming)
        {
            Add(args, "-incoming", "defer");
        }
        return new QemuCommand(emulator, args, disks, pflash);
    }

    /// <summary>The accelerator a domain type asks for: libvirt's rule, never a silent fallback.</summary>
    public static string Accelerator(DomainDefinition def, string emulator) => def.Type switch
    {
        "qemu" => "tcg",
        "kvm" => "kvm",
        _ => throw new VirtException(VirtErrorCode.ConfigUnsupported, $"Emulator '{emulator}' does not support virt type '{def.Type}'"),
    };

    private static string Emulator(DomainDefinition def)
    {
        if (def.Devices.Emulator is { } emulator)
        {
            return emulator;
        }

        if (def.Os.Arch is null or "x86_64")
        {
            return DefaultEmulator;
        }

        throw new VirtException(VirtErrorCode.ConfigUnsupported, $"No emulator found for arch '{def.Os.Arch}'");
    }

    private static bool IsQ35(string machine) => machine == "q35" || machine.StartsWith("pc-q35-", StringComparison.Ordinal);

    private static string? CpuModel(DomainDefinition def)
    {
        if (def.Cpu is not { } cpu)
        {
            return null;
        }

        switch (cpu.Mode)
        {
            case "host-passthrough" when def.Type == "kvm":
                return "host";
            case "maximum":
                return "max";
            case "host-passthrough" or "host-model":
                throw new VirtException(VirtErrorCode.ConfigUnsupported,
                    $"CPU mode '{cpu.Mode}' for x86_64 {def.Type} domain on x86_64 host is not supported by hypervisor");
        }

        if (cpu.Model is not { } model)
        {
            return null;
        }

        var opts = new QemuOpts(model);
        foreach (var feature in cpu.Features)
        {
            opts.Add(feature.Name, feature.Policy is "require" or "force");
        }

        return opts.ToString();
    }

    private static string Smp(DomainDefinition def)
    {
        int max = def.Vcpus;
        int current = def.CurrentVcpus ?? max;
        var topology = def.Cpu?.Topology;
        return string.Create(CultureInfo.InvariantCulture,
            $"{current},maxcpus={max},sockets={topology?.Sockets ?? max},dies={topology?.Dies ?? 1},cores={topology?.Cores ?? 1},threads={topology?.Threads ?? 1}");
    }

    private static void AddKernel(DomainOs os, List<string> args)
    {
        if (os.Kernel is { } kernel)
        {
            Add(args, "-kernel", kernel);
        }

        if (os.Initrd is { } initrd)
        {
            Add(args, "-initrd", initrd);
        }

        if (os.Cmdline is { } cmdline)
        {
            Add(args, "-append", cmdline);
        }
    }

    private static void Add(List<string> args, string option, string value)
    {
        args.Add(option);
        args.Add(value);
    }

    private static void AddDevice(List<string> args, JsonObject device) => Add(args, "-device", device.ToJsonString());
}
