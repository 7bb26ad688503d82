using System.Globalization;
using System.Xml.Linq;

namespace Virt.Conf;

/// <summary>Turns domain XML into a <see cref="DomainDefinition"/>, with libvirt's parse-time defaults and checks.</summary>
internal static class DomainXmlParser
{
    private static readonly string[] DomainTypes =
        ["none", "qemu", "kqemu", "kvm", "xen", "lxc", "uml", "openvz", "test", "vmware", "hyperv", "vbox", "phyp", "parallels", "bhyve", "vz"];

    /// <summary>Features whose empty element means state='on' (libvirt's tristate features).</summary>
    private static readonly string[] StateOnByDefault = ["hap", "pvspinlock", "vmcoreinfo", "vmport", "pmu", "smm"];

    private static readonly string[] StateRequired = ["htm", "nested-hv", "ccf-assist"];

    /// <summary>Features libvirt forgets when they carry no value at all.</summary>
    private static readonly string[] DroppedWhenEmpty = ["cfpc", "sbbc", "ibs", "tcg", "ioapic", "hpt"];

    private static readonly string[] PowerActions = ["destroy", "restart", "preserve", "rename-restart"];

    private static readonly string[] CrashActions = ["destroy", "restart", "preserve", "rename-restart", "coredump-destroy", "coredump-restart"];

    public static DomainDefinition Parse(string xml, int maxElements = SafeXml.MaxElements)
    {
        var root = SafeXml.LoadRoot(xml, "domain", maxElements);
        var def = new DomainDefinition();
        var children = new XmlChildren(root,
            "name", "uuid", "title", "description", "memory", "currentMemory", "vcpu", "os", "features", "cpu", "clock",
            "on_poweroff", "on_reboot", "on_crash", "devices");

        def.Type = root.Attribute("type")?.Value
            ?? throw SafeXml.Error(root, "missing domain type attribute: add type='kvm', 'qemu' or 'test' to <domain>");
        if (!DomainTypes.Contains(def.Type))
        {
            throw SafeXml.Error(root.Attribute("type")!, $"invalid domain type {def.Type}");
        }

        XmlChildren.KeepAttributes(def.Extras, "domain", root, "type", "id");

        var name = children.One("name");
        if (name is null || name.Value.Length == 0)
        {
            throw SafeXml.Error(name ?? root, "missing name information: the required element 'name' is missing or empty in domain");
        }

        if (name.Value.Contains('/', StringComparison.Ordinal))
        {
            throw SafeXml.Error(name, $"name {name.Value} cannot contain '/'");
        }

        def.Name = name.Value;
        XmlChildren.KeepPartial(def.Extras, "name", name, []);

        if (children.One("uuid") is { } uuid)
        {
            if (!Guid.TryParseExact(uuid.Value.Trim(), "D", out var g) && !Guid.TryParseExact(uuid.Value.Trim(), "N", out g))
            {
                throw SafeXml.Error(uuid, "malformed uuid element");
            }

            def.Uuid = g;
            XmlChildren.KeepPartial(def.Extras, "uuid", uuid, []);
        }

        if (children.One("title") is { } title)
        {
            if (title.Value.Contains('\n', StringComparison.Ordinal))
            {
                throw SafeXml.Error(title, "Domain title can't contain newlines");
            }

            def.Title = NullIfEmpty(title.Value);
            XmlChildren.KeepPartial(def.Extras, "title", title, []);
        }

        if (children.One("description") is { } description)
        {
            def.Description = NullIfEmpty(description.Value);
            XmlChildren.KeepPartial(def.Extras, "description", description, []);
        }

        var memory = children.One("memory")
            ?? throw SafeXml.Error(root, "Memory size must be specified via <memory> or in the <numa> configuration");
        def.MemoryKiB = MemoryUnits.ParseKiB(memory);
        if (def.MemoryKiB == 0)
        {
            // libvirt's virDomainDefPostParseMemory: a size of zero counts as no size at all.
            throw SafeXml.Error(memory, "Memory size must be specified via <memory> or in the <numa> configuration");
        }

        XmlChildren.KeepPartial(def.Extras, "memory", memory, ["unit"]);
        if (children.One("currentMemory") is { } current)
        {
            def.CurrentMemoryKiB = MemoryUnits.ParseKiB(current);
            XmlChildren.KeepPartial(def.Extras, "currentMemory", current, ["unit"]);
        }

        ParseVcpu(children.One("vcpu"), def);
        def.Os = ParseOs(children.One("os") ?? throw SafeXml.Error(root, "an os <type> must be specified"));
        ParseFeatures(children.One("features"), def);
        def.Cpu = ParseCpu(children.One("cpu"));
        def.Clock = ParseClock(children.One("clock"));
        def.OnPoweroff = ParseAction(children.One("on_poweroff"), "destroy", PowerActions, def.Extras);
        def.OnReboot = ParseAction(children.One("on_reboot"), "restart", PowerActions, def.Extras);
        def.OnCrash = ParseAction(children.One("on_crash"), "destroy", CrashActions, def.Extras);
        if (children.One("devices") is { } devices)
        {
            def.Devices = DomainDeviceParser.Parse(devices);
        }

        children.KeepUnknown(def.Extras);
        CurrentVcpusFromList(root.Element("vcpus"), def);
        if (def.Extras.Children.Any(c => c.Element.Name == "numatune" && (string?)c.Element.Element("memory")?.Attribute("placement") == "auto"))
        {
            // libvirt: automatic NUMA memory placement makes the vCPU placement automatic too.
            def.VcpuPlacement = "auto";
        }

        DomainDeviceParser.ApplyCharDefaults(def.Devices, def.Os.Type == "hvm");
        ApplyBootDefaults(def);
        return def;
    }

    /// <summary>libvirt: with a <c>&lt;vcpus&gt;</c> list, the vCPUs it enables are the current ones.</summary>
    private static void CurrentVcpusFromList(XElement? vcpus, DomainDefinition def)
    {
        var listed = vcpus?.Elements("vcpu").ToList() ?? [];
        int enabled = listed.Count(v => (string?)v.Attribute("enabled") == "yes");
        if (listed.Count > 0 && enabled > 0)
        {
            def.CurrentVcpus = enabled == def.Vcpus ? null : enabled;
        }
    }

    private static void ParseVcpu(XElement? vcpu, DomainDefinition def)
    {
        if (vcpu is null)
        {
            return;
        }

        if (!int.TryParse(vcpu.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count))
        {
            throw SafeXml.Error(vcpu, "maximum vcpus count must be an integer");
        }

        if (count < 1)
        {
            throw SafeXml.Error(vcpu, "Invalid number of vCPUs: at least 1 is needed");
        }

        def.Vcpus = count;
        if (vcpu.Attribute("current") is { } currentAttribute)
        {
            if (!int.TryParse(currentAttribute.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int current))
            {
                throw SafeXml.Error(currentAttribute, "current vcpus count must be an integer");
            }

            if (current > count)
            {
                throw SafeXml.Error(currentAttribute, $"current vcpus count {current} is greater than the maximum {count}");
            }

            def.CurrentVcpus = current == count ? null : current;
        }

        if (vcpu.Attribute("placement") is { } placement)
        {
            if (placement.Value is not ("static" or "auto"))
            {
                throw SafeXml.Error(placement, $"Unsupported CPU placement mode '{placement.Value}'");
            }

            def.VcpuPlacement = placement.Value;
        }

        XmlChildren.KeepPartial(def.Extras, "vcpu", vcpu, ["current", "placement"]);
    }

    private static DomainOs ParseOs(XElement os)
    {
        var children = new XmlChildren(os, "type", "loader", "nvram", "kernel", "initrd", "cmdline", "boot");
        var result = new DomainOs();
        XmlChildren.KeepAttributes(result.Extras, "os", os);
        var type = children.One("type");
        if (type is null || type.Value.Trim().Length == 0)
        {
            throw SafeXml.Error(type ?? os, "an os <type> must be specified");
        }

        result.Type = type.Value.Trim();
        result.Arch = type.Attribute("arch")?.Value;
        result.Machine = type.Attribute("machine")?.Value;
        XmlChildren.KeepPartial(result.Extras, "type", type, ["arch", "machine"]);

        if (children.One("loader") is { } loader)
        {
            result.Loader = new DomainLoader
            {
                Path = NullIfEmpty(loader.Value.Trim()),
                ReadOnly = XmlChildren.YesNo(loader, "readonly"),
                Secure = XmlChildren.YesNo(loader, "secure"),
                Type = loader.Attribute("type")?.Value,
            };
            XmlChildren.KeepPartial(result.Extras, "loader", loader, ["readonly", "secure", "type"]);
        }

        if (children.One("nvram") is { } nvram)
        {
            result.Nvram = new DomainNvram
            {
                Path = NullIfEmpty(nvram.Value.Trim()),
                Template = nvram.Attribute("template")?.Value,
                Format = nvram.Attribute("format")?.Value,
            };
            XmlChildren.KeepPartial(result.Extras, "nvram", nvram, ["template", "format"]);
        }

        result.Kernel = OsText(children.One("kernel"), result.Extras);
        result.Initrd = OsText(children.One("initrd"), result.Extras);
        result.Cmdline = OsText(children.One("cmdline"), result.Extras);

        foreach (var boot in children.Many("boot"))
        {
            string dev = boot.Attribute("dev")?.Value ?? throw SafeXml.Error(boot, "missing boot device: add dev='hd', 'cdrom', 'network' or 'fd'");
            if (dev is not ("hd" or "cdrom" or "network" or "fd"))
            {
                throw SafeXml.Error(boot, $"unknown boot device '{dev}'");
            }

            XmlChildren.KeepPartial(result.Extras, "boot" + result.BootDevices.Count.ToString(CultureInfo.InvariantCulture), boot, ["dev"]);
            result.BootDevices.Add(dev);
        }

        children.KeepUnknown(result.Extras);
        return result;
    }

    private static string? OsText(XElement? element, ElementExtras extras)
    {
        if (element is null)
        {
            return null;
        }

        XmlChildren.KeepPartial(extras, element.Name.LocalName, element, []);
        return NullIfEmpty(element.Value);
    }

    private static void ParseFeatures(XElement? features, DomainDefinition def)
    {
        if (features is null)
        {
            return;
        }

        XmlChildren.KeepAttributes(def.Extras, "features", features);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in features.Elements())
        {
            string name = element.Name.LocalName;
            if (!seen.Add(name))
            {
                throw SafeXml.Error(element, $"element '{name}' appears more than once in features", "keep only one");
            }

            if (!DomainXmlFormatter.FeatureOrder.ContainsKey(name))
            {
                throw new VirtException(VirtErrorCode.ConfigUnsupported, $"unexpected feature '{name}'");
            }

            string? state = element.Attribute("state")?.Value;
            if (state is null && StateRequired.Contains(name))
            {
                throw SafeXml.Error(element, $"Missing required attribute 'state' in element '{name}'");
            }

            if (state is null && !element.HasAttributes && !element.HasElements && DroppedWhenEmpty.Contains(name))
            {
                continue;
            }

            var kept = element;
            if (name == "hyperv" && element.Attribute("mode") is null)
            {
                kept = new XElement(element);
                kept.Add(new XAttribute("mode", "custom"));
            }

            if (name == "tcg" && element.Element("tb-cache") is { } tbCache)
            {
                kept = new XElement(kept);
                KeptNormalForms.ToKiB(kept.Element("tb-cache")!);
            }

            var feature = new DomainFeature(name, state ?? (StateOnByDefault.Contains(name) ? "on" : null));
            XmlChildren.KeepPartial(feature.Extras, "feature", kept, ["state"], []);
            def.Features.Add(feature);
        }
    }

    private static DomainCpu? ParseCpu(XElement? cpu)
    {
        if (cpu is null)
        {
            return null;
        }

        var children = new XmlChildren(cpu, "model", "topology", "feature");
        var result = new DomainCpu
        {
            Mode = cpu.Attribute("mode")?.Value,
            Match = cpu.Attribute("match")?.Value,
            Check = cpu.Attribute("check")?.Value,
            Migratable = cpu.Attribute("migratable")?.Value,
        };
        XmlChildren.KeepAttributes(result.Extras, "cpu", cpu, "mode", "match", "check", "migratable");
        if (children.One("model") is { } model)
        {
            result.Model = NullIfEmpty(model.Value.Trim());
            result.ModelFallback = model.Attribute("fallback")?.Value;
            if (result.Model is not null && result.Mode is null or "custom")
            {
                // libvirt: a CPU with a model is a custom one, and a custom model may fall back unless told otherwise.
                result.Mode = "custom";
                result.ModelFallback ??= "allow";
            }

            XmlChildren.KeepPartial(result.Extras, "model", model, ["fallback"]);
        }

        if (children.One("topology") is { } topology)
        {
            result.Topology = new DomainCpuTopology
            {
                Sockets = XmlChildren.Int(topology, "sockets", 1) ?? throw SafeXml.Error(topology, "missing 'sockets' attribute in CPU topology"),
                Dies = XmlChildren.Int(topology, "dies", 1) ?? 1,
                Cores = XmlChildren.Int(topology, "cores", 1) ?? throw SafeXml.Error(topology, "missing 'cores' attribute in CPU topology"),
                Threads = XmlChildren.Int(topology, "threads", 1) ?? throw SafeXml.Error(topology, "missing 'threads' attribute in CPU topology"),
            };
            XmlChildren.KeepPartial(result.Extras, "topology", topology, ["sockets", "dies", "cores", "threads"]);
        }

        foreach (var feature in children.Many("feature"))
        {
            string name = feature.Attribute("name")?.Value ?? throw SafeXml.Error(feature, "missing CPU feature name");
            XmlChildren.KeepPartial(result.Extras, "feature:" + name, feature, ["policy", "name"]);
            result.Features.Add(new DomainCpuFeature(feature.Attribute("policy")?.Value ?? "require", name));
        }

        children.KeepUnknown(result.Extras);
        return result;
    }

    private static DomainClock ParseClock(XElement? clock)
    {
        var result = new DomainClock();
        if (clock is null)
        {
            return result;
        }

        var children = new XmlChildren(clock, "timer");
        result.Offset = clock.Attribute("offset")?.Value ?? "utc";
        if (result.Offset is not ("utc" or "localtime" or "timezone" or "variable" or "absolute"))
        {
            throw SafeXml.Error(clock, $"unknown clock offset '{result.Offset}'");
        }

        var clockAttributes = clock;
        if (result.Offset == "variable" && clock.Attribute("basis") is null)
        {
            clockAttributes = new XElement(clock.Name, clock.Attributes(), new XAttribute("basis", "utc"));
        }

        XmlChildren.KeepAttributes(result.Extras, "clock", clockAttributes, "offset");
        foreach (var timerElement in children.Many("timer"))
        {
            string name = timerElement.Attribute("name")?.Value ?? throw SafeXml.Error(timerElement, "missing timer name");
            var timer = new DomainTimer(name)
            {
                Present = XmlChildren.YesNo(timerElement, "present"),
                TickPolicy = timerElement.Attribute("tickpolicy")?.Value,
            };
            XmlChildren.KeepPartial(timer.Extras, "timer", timerElement, ["name", "present", "tickpolicy"]);
            result.Timers.Add(timer);
        }

        children.KeepUnknown(result.Extras);
        return result;
    }

    private static string ParseAction(XElement? element, string fallback, string[] allowed, ElementExtras extras)
    {
        if (element is null)
        {
            return fallback;
        }

        XmlChildren.KeepPartial(extras, element.Name.LocalName, element, []);

        string value = element.Value.Trim();
        if (!allowed.Contains(value))
        {
            throw SafeXml.Error(element, $"unknown {element.Name.LocalName} action: {value}");
        }

        return value;
    }

    private static void ApplyBootDefaults(DomainDefinition def)
    {
        bool perDevice = def.Devices.Disks.Any(d => d.BootOrder is not null) || def.Devices.Interfaces.Any(i => i.BootOrder is not null)
            || def.Devices.Extras.Children.Any(c => c.Element.Element("boot")?.Attribute("order") is not null);
        if (perDevice && def.Os.BootDevices.Count > 0)
        {
            throw new VirtException(VirtErrorCode.ConfigUnsupported, "per-device boot elements cannot be used together with os/boot elements");
        }

        // A guest started by a host-side boot loader (<bootloader>) has no BIOS boot order.
        bool bootloader = def.Extras.Children.Any(c => c.Element.Name == "bootloader");
        if (!perDevice && !bootloader && def.Os.BootDevices.Count == 0 && def.Os.Type == "hvm")
        {
            def.Os.BootDevices.Add("hd");
        }
    }

    internal static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
