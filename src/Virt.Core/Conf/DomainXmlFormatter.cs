using System.Globalization;
using System.Xml.Linq;

namespace Virt.Conf;

/// <summary>Formats a <see cref="DomainDefinition"/> in the element order and style of libvirt's formatter.</summary>
internal static class DomainXmlFormatter
{
    /// <summary>libvirt's order of top-level elements (<c>virDomainDefFormatInternal</c>).</summary>
    internal static readonly IReadOnlyDictionary<string, int> DomainOrder = Ranks(
        "name", "uuid", "genid", "title", "description", "metadata", "maxMemory", "memory", "currentMemory", "blkiotune",
        "memtune", "memoryBacking", "vcpu", "vcpus", "iothreads", "iothreadids", "defaultiothread", "cputune", "numatune",
        "resource", "sysinfo", "bootloader", "bootloader_args", "os", "idmap", "features", "cpu", "clock", "on_poweroff",
        "on_reboot", "on_crash", "on_lockfailure", "pm", "perf", "devices", "seclabel", "keywrap", "launchSecurity");

    /// <summary>libvirt's order of device kinds within <c>&lt;devices&gt;</c>.</summary>
    internal static readonly IReadOnlyDictionary<string, int> DeviceOrder = Ranks(
        "emulator", "disk", "controller", "lease", "filesystem", "interface", "smartcard", "serial", "parallel", "console",
        "channel", "input", "tpm", "graphics", "sound", "audio", "video", "hostdev", "redirdev", "redirfilter", "hub",
        "watchdog", "memballoon", "rng", "panic", "shmem", "memory", "iommu", "vsock", "crypto");

    /// <summary>libvirt's order within <c>&lt;os&gt;</c>.</summary>
    internal static readonly IReadOnlyDictionary<string, int> OsOrder = Ranks(
        "type", "firmware", "init", "initarg", "initenv", "initdir", "inituser", "initgroup", "loader", "nvram", "kernel",
        "initrd", "cmdline", "dtb", "acpi", "boot", "bootmenu", "smbios", "bios");

    /// <summary>libvirt's order within <c>&lt;disk&gt;</c>.</summary>
    internal static readonly IReadOnlyDictionary<string, int> DiskOrder = Ranks(
        "driver", "auth", "source", "backingStore", "backenddomain", "geometry", "blockio", "mirror", "target", "iotune",
        "readonly", "shareable", "transient", "serial", "wwn", "vendor", "product", "encryption", "boot", "alias", "address");

    /// <summary>libvirt's order within <c>&lt;interface&gt;</c>.</summary>
    internal static readonly IReadOnlyDictionary<string, int> InterfaceOrder = Ranks(
        "mac", "source", "vlan", "virtualport", "ip", "route", "script", "downscript", "backenddomain", "bandwidth", "port", "target", "guest",
        "model", "driver", "backend", "filterref", "tune", "teaming", "link", "mtu", "coalesce", "boot", "rom", "alias", "address");

    /// <summary>libvirt's order within a hostdev <c>&lt;interface&gt;</c>: its PCI <c>&lt;driver&gt;</c> comes before its <c>&lt;source&gt;</c>.</summary>
    internal static readonly IReadOnlyDictionary<string, int> HostdevInterfaceOrder = Ranks(
        "mac", "driver", "source", "vlan", "virtualport", "ip", "route", "script", "downscript", "backenddomain", "bandwidth", "port", "target",
        "guest", "model", "backend", "filterref", "tune", "teaming", "link", "mtu", "coalesce", "boot", "rom", "alias", "address");

    /// <summary>libvirt's order within <c>&lt;graphics&gt;</c>.</summary>
    internal static readonly IReadOnlyDictionary<string, int> GraphicsOrder = Ranks(
        "listen", "channel", "image", "jpeg", "zlib", "playback", "streaming", "mouse", "clipboard", "filetransfer", "gl", "audio");

    /// <summary>libvirt's order of hypervisor features (<c>virDomainFeature</c>).</summary>
    internal static readonly IReadOnlyDictionary<string, int> FeatureOrder = Ranks(
        "acpi", "apic", "pae", "hap", "viridian", "privnet", "hyperv", "kvm", "pvspinlock", "capabilities", "pmu", "vmport",
        "gic", "smm", "ioapic", "hpt", "vmcoreinfo", "htm", "nested-hv", "msrs", "ccf-assist", "xen", "cfpc", "sbbc", "ibs",
        "tcg");

    public static string Format(DomainDefinition def, int? id, bool secure = true)
    {
        var root = new XElement("domain", new XAttribute("type", def.Type));
        if (id is { } n)
        {
            root.Add(new XAttribute("id", n.ToString(CultureInfo.InvariantCulture)));
        }

        def.Extras.Apply("domain", root);
        root.Add(def.Extras.Apply("name", new XElement("name", def.Name)));
        if (def.Uuid is { } uuid)
        {
            root.Add(def.Extras.Apply("uuid", new XElement("uuid", uuid.ToString("D"))));
        }

        AddText(root, "title", def.Title, def.Extras);
        AddText(root, "description", def.Description, def.Extras);
        root.Add(def.Extras.Apply("memory", new XElement("memory", new XAttribute("unit", "KiB"), Num(def.MemoryKiB))));
        root.Add(def.Extras.Apply("currentMemory", new XElement("currentMemory", new XAttribute("unit", "KiB"), Num(def.EffectiveCurrentMemoryKiB))));
        root.Add(def.Extras.Apply("vcpu", new XElement("vcpu",
            new XAttribute("placement", def.VcpuPlacement),
            def.CurrentVcpus is { } cv && cv != def.Vcpus ? new XAttribute("current", Num(cv)) : null,
            Num(def.Vcpus))));
        root.Add(FormatOs(def.Os));
        if (def.Features.Count > 0 || def.Extras.Has("features"))
        {
            root.Add(def.Extras.ApplyAttributes("features", new XElement("features", def.Features
                .Select((f, i) => (f, i))
                .OrderBy(p => FeatureOrder.TryGetValue(p.f.Name, out int r) ? r : int.MaxValue)
                .ThenBy(p => p.i)
                .Select(p => OpenWhenEmpty(p.f.Extras.Apply("feature", new XElement(p.f.Name, Attr("state", p.f.State))))))));
        }

        if (def.Cpu is { } cpu)
        {
            root.Add(FormatCpu(cpu));
        }

        root.Add(FormatClock(def.Clock));
        root.Add(def.Extras.Apply("on_poweroff", new XElement("on_poweroff", def.OnPoweroff)));
        root.Add(def.Extras.Apply("on_reboot", new XElement("on_reboot", def.OnReboot)));
        root.Add(def.Extras.Apply("on_crash", new XElement("on_crash", def.OnCrash)));
        root.Add(DomainDeviceFormatter.Format(def.Devices, secure));
        def.Extras.MergeInto(root, DomainOrder);
        if (id is not null)
        {
            NameResctrlGroups(root);
        }

        return LibvirtXmlWriter.Write(root);
    }

    /// <summary>libvirt's live XML names each cache and memory bandwidth allocation after its vCPUs
    /// (<c>virDomainResctrlNew</c>: <c>vcpus_&lt;vcpus&gt;</c>); the inactive XML does not print it.</summary>
    private static void NameResctrlGroups(XElement root)
    {
        foreach (var tune in root.Element("cputune")?.Elements().Where(e => e.Name.LocalName is "cachetune" or "memorytune") ?? [])
        {
            if (tune.Attribute("id") is null && (string?)tune.Attribute("vcpus") is { } vcpus)
            {
                var attributes = tune.Attributes().ToList();
                int at = attributes.FindIndex(a => a.Name == "vcpus") + 1;
                attributes.Insert(at, new XAttribute("id", "vcpus_" + vcpus));
                tune.ReplaceAttributes(attributes);
            }
        }
    }

    private static XElement FormatOs(DomainOs os)
    {
        var element = os.Extras.ApplyAttributes("os", new XElement("os",
            os.Extras.Apply("type", new XElement("type", Attr("arch", os.Arch), Attr("machine", os.Machine), os.Type))));
        if (os.Loader is { } loader)
        {
            element.Add(os.Extras.Apply("loader", new XElement("loader",
                Attr("readonly", XmlChildren.YesNo(loader.ReadOnly)),
                Attr("secure", XmlChildren.YesNo(loader.Secure)),
                Attr("type", loader.Type),
                loader.Path)));
        }

        if (os.Nvram is { } nvram)
        {
            element.Add(os.Extras.Apply("nvram", new XElement("nvram",
                Attr("template", nvram.Template),
                Attr("format", nvram.Format),
                nvram.Path)));
        }

        AddOsText(element, os, "kernel", os.Kernel);
        AddOsText(element, os, "initrd", os.Initrd);
        AddOsText(element, os, "cmdline", os.Cmdline);
        for (int i = 0; i < os.BootDevices.Count; i++)
        {
            element.Add(os.Extras.Apply("boot" + Num(i), new XElement("boot", new XAttribute("dev", os.BootDevices[i]))));
        }

        os.Extras.MergeInto(element, OsOrder);
        return element;
    }

    private static void AddOsText(XElement os, DomainOs model, string name, string? value)
    {
        if (value is not null)
        {
            os.Add(model.Extras.Apply(name, new XElement(name, value)));
        }
    }

    private static XElement FormatCpu(DomainCpu cpu)
    {
        var element = cpu.Extras.Apply("cpu", new XElement("cpu",
            Attr("mode", cpu.Mode), Attr("match", cpu.Match), Attr("check", cpu.Check), Attr("migratable", cpu.Migratable)));
        if (cpu.Model is not null || cpu.ModelFallback is not null)
        {
            element.Add(cpu.Extras.Apply("model", new XElement("model", Attr("fallback", cpu.ModelFallback), cpu.Model)));
        }

        if (cpu.Topology is { } topology)
        {
            element.Add(cpu.Extras.Apply("topology", new XElement("topology",
                new XAttribute("sockets", Num(topology.Sockets)),
                new XAttribute("dies", Num(topology.Dies)),
                new XAttribute("cores", Num(topology.Cores)),
                new XAttribute("threads", Num(topology.Threads)))));
        }

        foreach (var feature in cpu.Features)
        {
            element.Add(cpu.Extras.Apply("feature:" + feature.Name, new XElement("feature", new XAttribute("policy", feature.Policy), new XAttribute("name", feature.Name))));
        }

        cpu.Extras.MergeInto(element);
        return element;
    }

    private static XElement FormatClock(DomainClock clock)
    {
        var element = clock.Extras.Apply("clock", new XElement("clock", new XAttribute("offset", clock.Offset)));
        foreach (var timer in clock.Timers)
        {
            element.Add(timer.Extras.Apply("timer", new XElement("timer",
                new XAttribute("name", timer.Name),
                Attr("tickpolicy", timer.TickPolicy),
                Attr("present", XmlChildren.YesNo(timer.Present)))));
        }

        clock.Extras.MergeInto(element);
        return element;
    }

    /// <summary>libvirt prints <c>&lt;hyperv&gt;</c> and <c>&lt;kvm&gt;</c> as an open and a close tag even when empty.</summary>
    private static XElement OpenWhenEmpty(XElement feature)
    {
        if (feature.Name.LocalName is "hyperv" or "kvm")
        {
            feature.AddAnnotation(LibvirtXmlWriter.AlwaysOpen.Instance);
        }

        return feature;
    }

    internal static XAttribute? Attr(string name, string? value) => value is null ? null : new XAttribute(name, value);

    internal static void AddText(XElement parent, string name, string? value, ElementExtras? extras = null)
    {
        // An element libvirt drops when empty is still printed when it holds unknown content.
        if (value is not null || extras?.Has(name) == true)
        {
            var element = new XElement(name, value);
            parent.Add(extras is null ? element : extras.Apply(name, element));
        }
    }

    internal static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Num(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static Dictionary<string, int> Ranks(params string[] names) =>
        names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
}
