namespace Virt;

/// <summary>How to reboot a domain (libvirt's <c>virDomainRebootFlagValues</c>).</summary>
[Flags]
public enum DomainRebootFlags
{
    /// <summary>The driver's default method.</summary>
    Default = 0,
    /// <summary>Press the ACPI power button; the guest shuts down and the hypervisor resets it.</summary>
    AcpiPowerButton = 1,
    /// <summary>Ask the guest agent.</summary>
    GuestAgent = 2,
    /// <summary>Ask the container's init.</summary>
    Initctl = 4,
    /// <summary>Send a signal to the container's init.</summary>
    Signal = 8,
    /// <summary>Ask the paravirtual guest.</summary>
    Paravirt = 16,
}
