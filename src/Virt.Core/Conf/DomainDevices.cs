namespace Virt.Conf;

/// <summary>The <c>&lt;devices&gt;</c> element. Device kinds the model does not know (controllers, inputs, video...) are kept and formatted back in libvirt's order.</summary>
public sealed class DomainDevices
{
    /// <summary>The emulator binary, for example <c>/usr/bin/qemu-system-x86_64</c>; null to let the driver choose.</summary>
    public string? Emulator { get; set; }

    /// <summary>Disks, CD-ROMs and floppies, in libvirt's order (grouped by bus).</summary>
    public IList<DomainDisk> Disks { get; } = new List<DomainDisk>();

    /// <summary>Controllers (IDE, SATA, SCSI, USB, PCI...).</summary>
    public IList<DomainController> Controllers { get; } = new List<DomainController>();

    /// <summary>Network interfaces.</summary>
    public IList<DomainInterface> Interfaces { get; } = new List<DomainInterface>();

    /// <summary>Serial ports.</summary>
    public IList<DomainCharDevice> Serials { get; } = new List<DomainCharDevice>();

    /// <summary>Consoles.</summary>
    public IList<DomainCharDevice> Consoles { get; } = new List<DomainCharDevice>();

    /// <summary>Graphical displays (VNC, SPICE).</summary>
    public IList<DomainGraphics> Graphics { get; } = new List<DomainGraphics>();

    /// <summary>Video adapters.</summary>
    public IList<DomainVideo> Videos { get; } = new List<DomainVideo>();

    /// <summary>The memory balloon, or null when the definition has none.</summary>
    public DomainMemBalloon? MemBalloon { get; set; }

    internal ElementExtras Extras { get; } = new();

    /// <summary>Adds a disk where libvirt puts it: after the disks on the same bus with a lower device index, before those with a higher one.</summary>
    /// <param name="disk">The disk.</param>
    /// <exception cref="ArgumentNullException"><paramref name="disk"/> is null.</exception>
    public void AddDisk(DomainDisk disk)
    {
        ArgumentNullException.ThrowIfNull(disk);
        var ordered = Disks.Select(d => (d, d.TargetBus, DeviceInsertion.DiskIndex(d.TargetDev))).ToList();
        DeviceInsertion.InsertDisk(ordered, disk, disk.TargetBus);
        Disks.Clear();
        foreach (var (d, _, _) in ordered)
        {
            Disks.Add(d);
        }
    }

    /// <summary>Adds a controller where libvirt puts it: after the controllers of its type with a lower index.</summary>
    /// <param name="controller">The controller.</param>
    /// <exception cref="ArgumentNullException"><paramref name="controller"/> is null.</exception>
    public void AddController(DomainController controller)
    {
        ArgumentNullException.ThrowIfNull(controller);
        DeviceInsertion.InsertController(Controllers, controller);
    }

    /// <summary>Whether the definition has a device of the unmodelled kind <paramref name="elementName"/> (for example <c>input</c> or <c>watchdog</c>).</summary>
    /// <param name="elementName">The device element's name.</param>
    /// <returns>True when at least one such device is kept.</returns>
    public bool HasOtherDevice(string elementName) => Extras.Children.Any(c => c.Element.Name.LocalName == elementName);
}

/// <summary>Where a device sits on its bus: the <c>&lt;address&gt;</c> element.</summary>
public sealed class DomainAddress
{
    /// <summary>The address type: <c>pci</c>, <c>drive</c>, <c>usb</c>, <c>virtio-serial</c>...</summary>
    public string Type { get; set; } = "pci";

    /// <summary>PCI domain (pci).</summary>
    public int? Domain { get; set; }

    /// <summary>Bus number (pci and drive).</summary>
    public int? Bus { get; set; }

    /// <summary>Slot (pci).</summary>
    public int? Slot { get; set; }

    /// <summary>Function (pci).</summary>
    public int? Function { get; set; }

    /// <summary>Controller index (drive).</summary>
    public int? Controller { get; set; }

    /// <summary>Target (drive).</summary>
    public int? Target { get; set; }

    /// <summary>Unit (drive).</summary>
    public int? Unit { get; set; }

    internal ElementExtras Extras { get; } = new();
}

/// <summary>A <c>&lt;disk&gt;</c>: a disk image, block device or CD-ROM.</summary>
public sealed class DomainDisk
{
    /// <summary>Where the data comes from: <c>file</c> or <c>block</c>.</summary>
    public string Type { get; set; } = "file";

    /// <summary>What the guest sees: <c>disk</c>, <c>cdrom</c>, <c>floppy</c> or <c>lun</c>.</summary>
    public string Device { get; set; } = "disk";

    /// <summary>How snapshots treat the disk by default (libvirt's disk <c>snapshot</c> attribute): <c>no</c>,
    /// <c>internal</c>, <c>external</c> or <c>manual</c>; null when not given (a read-only disk is then not
    /// snapshotted, any other gets the driver's default).</summary>
    public string? Snapshot { get; set; }

    /// <summary>The driver name, for example <c>qemu</c>.</summary>
    public string? DriverName { get; set; }

    /// <summary>The image format, for example <c>qcow2</c> or <c>raw</c>.</summary>
    public string? DriverType { get; set; }

    /// <summary>The cache mode, for example <c>none</c> or <c>writeback</c>.</summary>
    public string? DriverCache { get; set; }

    /// <summary>The image file (for <c>file</c>) or device node (for <c>block</c>); null for an empty CD-ROM drive.</summary>
    public string? Source { get; set; }

    /// <summary>The guest device name, for example <c>vda</c> or <c>sda</c>.</summary>
    public string TargetDev { get; set; } = "vda";

    /// <summary>The bus: <c>virtio</c>, <c>sata</c>, <c>scsi</c>, <c>ide</c>, <c>usb</c>...; null to derive it from the device name.</summary>
    public string? TargetBus { get; set; }

    /// <summary>Whether the guest sees the disk read-only.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>Whether several domains may share the disk.</summary>
    public bool Shareable { get; set; }

    /// <summary>The serial number the guest sees.</summary>
    public string? Serial { get; set; }

    /// <summary>The disk's position in the boot order (<c>&lt;boot order='N'/&gt;</c>).</summary>
    public int? BootOrder { get; set; }

    /// <summary>The index libvirt derives from <see cref="TargetDev"/> (vda = 0, vdb = 1, vdz = 25, vdaa = 26), or null when it is not a disk name.</summary>
    public int? TargetIndex => DeviceInsertion.DiskIndex(TargetDev) is >= 0 and <= int.MaxValue and var i ? (int)i : null;

    /// <summary>The disk's address, or null to let the driver assign one.</summary>
    public DomainAddress? Address { get; set; }

    internal ElementExtras Extras { get; } = new();
}

/// <summary>A network <c>&lt;interface&gt;</c>.</summary>
public sealed class DomainInterface
{
    /// <summary><c>user</c>, <c>network</c>, <c>bridge</c>...</summary>
    public string Type { get; set; } = "user";

    /// <summary>The MAC address, for example <c>52:54:00:12:34:56</c>; null to let the driver generate one.</summary>
    public string? MacAddress { get; set; }

    /// <summary>For type <c>network</c>: the network's name.</summary>
    public string? SourceNetwork { get; set; }

    /// <summary>For type <c>bridge</c>: the bridge's name.</summary>
    public string? SourceBridge { get; set; }

    /// <summary>The host-side device name (<c>&lt;target dev='...'/&gt;</c>).</summary>
    public string? TargetDev { get; set; }

    /// <summary>The NIC model, for example <c>virtio</c> or <c>e1000</c>.</summary>
    public string? ModelType { get; set; }

    /// <summary>The interface's position in the boot order.</summary>
    public int? BootOrder { get; set; }

    /// <summary>The interface's address, or null.</summary>
    public DomainAddress? Address { get; set; }

    internal ElementExtras Extras { get; } = new();
}

/// <summary>A character device: a <c>&lt;serial&gt;</c> or <c>&lt;console&gt;</c>.</summary>
public sealed class DomainCharDevice
{
    /// <summary>The host side: <c>pty</c>, <c>file</c>, <c>unix</c>, <c>null</c>...</summary>
    public string Type { get; set; } = "pty";

    /// <summary>The host path for <c>file</c> or <c>unix</c> types (<c>&lt;source path='...'/&gt;</c>).</summary>
    public string? SourcePath { get; set; }

    /// <summary>The guest side type, for example <c>serial</c> or <c>virtio</c> for a console, <c>isa-serial</c> for a serial port.</summary>
    public string? TargetType { get; set; }

    /// <summary>The guest port number.</summary>
    public int? TargetPort { get; set; }

    internal ElementExtras Extras { get; } = new();

    /// <summary>The host side as libvirt prints it: the <c>&lt;source&gt;</c> elements (two for udp), then
    /// <c>&lt;protocol&gt;</c>, then <c>&lt;log&gt;</c>, each kept whole (a console that mirrors a serial port copies them).</summary>
    internal List<System.Xml.Linq.XElement> HostSide { get; } = [];
}

/// <summary>A <c>&lt;graphics&gt;</c> display.</summary>
public sealed class DomainGraphics
{
    /// <summary><c>vnc</c> or <c>spice</c>.</summary>
    public string Type { get; set; } = "vnc";

    /// <summary>The TCP port; null when not stated; -1 means "choose one".</summary>
    public int? Port { get; set; }

    /// <summary>Whether the port is chosen automatically; null when not stated.</summary>
    public bool? AutoPort { get; set; }

    /// <summary>The address to listen on (the first <c>&lt;listen type='address'&gt;</c>); null for the driver's default, and for a VNC display on a socket.</summary>
    public string? Listen { get; set; }

    /// <summary>The password a client must give (<c>passwd=</c>), or null; formatted only when the XML is asked with
    /// <see cref="DomainXmlFlags.Secure"/> (or by <see cref="DomainDefinition.ToXml()"/>, which keeps everything).</summary>
    public string? Password { get; set; }

    internal ElementExtras Extras { get; } = new();

    internal List<(string Type, string? Address, string? Network, string? Socket)> ListenElements { get; } = [];
}

/// <summary>The <c>&lt;memballoon&gt;</c> device.</summary>
public sealed class DomainMemBalloon
{
    /// <summary><c>virtio</c>, <c>xen</c> or <c>none</c>.</summary>
    public string Model { get; set; } = "virtio";

    /// <summary>The balloon's address, or null.</summary>
    public DomainAddress? Address { get; set; }

    internal ElementExtras Extras { get; } = new();
}

/// <summary>A <c>&lt;controller&gt;</c>.</summary>
public sealed class DomainController
{
    /// <summary><c>ide</c>, <c>fdc</c>, <c>scsi</c>, <c>sata</c>, <c>usb</c>, <c>pci</c>, <c>virtio-serial</c>...</summary>
    public string Type { get; set; } = "sata";

    /// <summary>The controller's index among controllers of its type.</summary>
    public int Index { get; set; }

    /// <summary>The controller model, for example <c>virtio-scsi</c> or <c>qemu-xhci</c>; null for the default.</summary>
    public string? Model { get; set; }

    /// <summary>The controller's address, or null.</summary>
    public DomainAddress? Address { get; set; }

    internal ElementExtras Extras { get; } = new();
}

/// <summary>A <c>&lt;video&gt;</c> adapter.</summary>
public sealed class DomainVideo
{
    /// <summary>The model: <c>cirrus</c>, <c>vga</c>, <c>qxl</c>, <c>virtio</c>, <c>bochs</c>, <c>none</c>...</summary>
    public string ModelType { get; set; } = "vga";

    /// <summary>Secondary memory (<c>ram</c>), in KiB.</summary>
    public int? Ram { get; set; }

    /// <summary>Video memory (<c>vram</c>), in KiB.</summary>
    public int? Vram { get; set; }

    /// <summary>VGA memory (<c>vgamem</c>), in KiB.</summary>
    public int? VgaMem { get; set; }

    /// <summary>Number of screens.</summary>
    public int? Heads { get; set; }

    /// <summary>Whether this is the primary adapter.</summary>
    public bool? Primary { get; set; }

    /// <summary>The adapter's address, or null.</summary>
    public DomainAddress? Address { get; set; }

    internal ElementExtras Extras { get; } = new();
}
