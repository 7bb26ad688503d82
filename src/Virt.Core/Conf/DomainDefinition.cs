namespace Virt.Conf;

/// <summary>
/// A domain (virtual machine) definition, read from and written to libvirt domain XML. Parsing
/// applies what libvirt's parser applies (units to KiB, defaults for vCPUs, clock and lifecycle
/// actions, disk order by bus, graphics listen addresses); <see cref="ToXml()"/> prints what
/// <c>virsh dumpxml --inactive</c> prints for the same definition. Elements and attributes the model
/// does not know are kept and given back by <see cref="ToXml()"/>: device kinds and top-level
/// elements at libvirt's position for their name, others after the sibling they followed.
/// Not thread-safe.
/// </summary>
public sealed class DomainDefinition
{
    /// <summary>The hypervisor type (the root's <c>type</c> attribute): <c>kvm</c>, <c>qemu</c> or <c>test</c>.</summary>
    public string Type { get; set; } = "kvm";

    /// <summary>The domain's name; must not contain '/'.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The domain's UUID, or null to have the driver generate one.</summary>
    public Guid? Uuid { get; set; }

    /// <summary>A one-line title.</summary>
    public string? Title { get; set; }

    /// <summary>A free-form description.</summary>
    public string? Description { get; set; }

    /// <summary>The maximum memory at boot, in KiB (<c>&lt;memory&gt;</c>).</summary>
    public ulong MemoryKiB { get; set; }

    /// <summary>The memory actually given to the guest, in KiB (<c>&lt;currentMemory&gt;</c>); null means the same as <see cref="MemoryKiB"/>.</summary>
    public ulong? CurrentMemoryKiB { get; set; }

    /// <summary>The maximum number of vCPUs (<c>&lt;vcpu&gt;</c>).</summary>
    public int Vcpus { get; set; } = 1;

    /// <summary>The vCPUs online at boot (the <c>current</c> attribute); null means all.</summary>
    public int? CurrentVcpus { get; set; }

    /// <summary>vCPU placement: <c>static</c> or <c>auto</c>.</summary>
    public string VcpuPlacement { get; set; } = "static";

    /// <summary>The boot configuration.</summary>
    public DomainOs Os { get; set; } = new();

    /// <summary>Hypervisor features (<c>&lt;features&gt;</c>), formatted in libvirt's order.</summary>
    public IList<DomainFeature> Features { get; } = new List<DomainFeature>();

    /// <summary>The guest CPU, or null for the driver's default.</summary>
    public DomainCpu? Cpu { get; set; }

    /// <summary>The guest clock.</summary>
    public DomainClock Clock { get; set; } = new();

    /// <summary>What to do when the guest powers off: <c>destroy</c>, <c>restart</c>, <c>preserve</c>, <c>rename-restart</c>.</summary>
    public string OnPoweroff { get; set; } = "destroy";

    /// <summary>What to do when the guest reboots.</summary>
    public string OnReboot { get; set; } = "restart";

    /// <summary>What to do when the guest crashes (also <c>coredump-destroy</c>, <c>coredump-restart</c>).</summary>
    public string OnCrash { get; set; } = "destroy";

    /// <summary>The devices.</summary>
    public DomainDevices Devices { get; set; } = new();

    internal ElementExtras Extras { get; } = new();

    /// <summary>The memory the guest gets, as libvirt reports it: <see cref="CurrentMemoryKiB"/> when set, non-zero and within <see cref="MemoryKiB"/>, else <see cref="MemoryKiB"/>.</summary>
    internal ulong EffectiveCurrentMemoryKiB => CurrentMemoryKiB is { } c && c != 0 && c <= MemoryKiB ? c : MemoryKiB;

    /// <summary>Parses libvirt domain XML. DTDs and external entities are refused; the document is limited to 10 M characters, 50,000 elements and 64 levels.</summary>
    /// <param name="xml">The XML.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="xml"/> is null.</exception>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.XmlError"/> for malformed or invalid XML, with the line and position;
    /// <see cref="VirtErrorCode.ConfigUnsupported"/> for a well-formed definition libvirt would refuse (for example per-device boot order together with <c>&lt;os&gt;&lt;boot&gt;</c>).</exception>
    public static DomainDefinition Parse(string xml) => DomainXmlParser.Parse(xml);

    /// <summary>Formats the whole definition as libvirt domain XML, security-sensitive data included, as
    /// <c>virsh dumpxml --inactive --security-info</c> prints it (what a driver stores).</summary>
    /// <returns>The XML, ending with a newline.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> when a value holds a character XML cannot carry (a control character).</exception>
    public string ToXml() => DomainXmlFormatter.Format(this, id: null);

    /// <summary>Formats the definition as <c>virsh dumpxml --inactive</c> prints it: graphics passwords only with
    /// <see cref="DomainXmlFlags.Secure"/>; the other flags choose a definition, which is the driver's business.</summary>
    /// <param name="flags">The flags the XML was asked with.</param>
    /// <returns>The XML, ending with a newline.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> when a value holds a character XML cannot carry.</exception>
    public string ToXml(DomainXmlFlags flags) => DomainXmlFormatter.Format(this, id: null, flags.HasFlag(DomainXmlFlags.Secure));

    /// <summary>Formats the definition of a running domain as <c>virsh dumpxml</c> prints it: <c>id='N'</c> on the
    /// root, graphics passwords only with <see cref="DomainXmlFlags.Secure"/>.</summary>
    /// <param name="id">The running domain's id.</param>
    /// <param name="flags">The flags the XML was asked with.</param>
    /// <returns>The XML, ending with a newline.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> when a value holds a character XML cannot carry.</exception>
    public string ToXml(int id, DomainXmlFlags flags) => DomainXmlFormatter.Format(this, id, flags.HasFlag(DomainXmlFlags.Secure));

    /// <summary>Formats the definition of a running domain: like <see cref="ToXml()"/> with <c>id='N'</c> on the root, as <c>virsh dumpxml</c> prints it.</summary>
    /// <param name="id">The running domain's id.</param>
    /// <returns>The XML, ending with a newline.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> when a value holds a character XML cannot carry.</exception>
    public string ToXml(int id) => DomainXmlFormatter.Format(this, id);

    /// <summary>A deep copy.</summary>
    /// <returns>The copy.</returns>
    public DomainDefinition Clone() => DomainXmlParser.Parse(ToXml(), int.MaxValue);
}
