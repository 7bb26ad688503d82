namespace Virt.Conf;

/// <summary>The <c>&lt;os&gt;</c> element: what the guest boots and how.</summary>
public sealed class DomainOs
{
    /// <summary>The OS type, <c>hvm</c> for a fully virtualised guest.</summary>
    public string Type { get; set; } = "hvm";

    /// <summary>The guest architecture, for example <c>x86_64</c>; null to let the driver choose.</summary>
    public string? Arch { get; set; }

    /// <summary>The machine type, for example <c>pc-q35-7.2</c>; null to let the driver choose.</summary>
    public string? Machine { get; set; }

    /// <summary>The firmware loader (for UEFI, the OVMF code image), or null for the default BIOS.</summary>
    public DomainLoader? Loader { get; set; }

    /// <summary>The per-domain UEFI variable store, or null.</summary>
    public DomainNvram? Nvram { get; set; }

    /// <summary>The kernel image for direct kernel boot (<c>&lt;kernel&gt;</c>), or null to boot from the firmware.</summary>
    public string? Kernel { get; set; }

    /// <summary>The initial ramdisk for direct kernel boot (<c>&lt;initrd&gt;</c>), or null.</summary>
    public string? Initrd { get; set; }

    /// <summary>The kernel command line for direct kernel boot (<c>&lt;cmdline&gt;</c>), or null.</summary>
    public string? Cmdline { get; set; }

    /// <summary>Boot devices in order: <c>hd</c>, <c>cdrom</c>, <c>network</c>, <c>fd</c>.</summary>
    public IList<string> BootDevices { get; } = new List<string>();

    internal ElementExtras Extras { get; } = new();
}

/// <summary>The <c>&lt;loader&gt;</c> element: the firmware image.</summary>
public sealed class DomainLoader
{
    /// <summary>The firmware file's path.</summary>
    public string? Path { get; set; }

    /// <summary>Whether the image is read-only (<c>readonly='yes'</c>); null when not stated.</summary>
    public bool? ReadOnly { get; set; }

    /// <summary>Whether Secure Boot is required (<c>secure='yes'</c>); null when not stated.</summary>
    public bool? Secure { get; set; }

    /// <summary>How the image is mapped: <c>pflash</c> or <c>rom</c>; null when not stated.</summary>
    public string? Type { get; set; }
}

/// <summary>The <c>&lt;nvram&gt;</c> element: the domain's own UEFI variable store.</summary>
public sealed class DomainNvram
{
    /// <summary>The variable store's path, or null to let the driver choose one.</summary>
    public string? Path { get; set; }

    /// <summary>The pristine variable store the per-domain one is copied from.</summary>
    public string? Template { get; set; }

    /// <summary>The variable store's image format, <c>raw</c> or <c>qcow2</c>; null for raw.</summary>
    public string? Format { get; set; }
}
