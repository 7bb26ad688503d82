using System.Security;

namespace Virt.Qemu.Tests.Driver;

/// <summary>Domain XML for the tests that run a guest or only QEMU.</summary>
internal static class GuestDomains
{
    /// <summary>The tiny test guest (TCG, 128 MiB) with a pty serial console; <paramref name="cmdline"/> adds kernel options for its init.</summary>
    public static string Guest(string name, string cmdline, string devices = "")
    {
        string guest = TestGuest.Folder();
        return $"""
            <domain type='qemu'>
              <name>{SecurityElement.Escape(name)}</name>
              <memory unit='MiB'>128</memory>
              <os>
                <type arch='x86_64' machine='q35'>hvm</type>
                <kernel>{SecurityElement.Escape(Path.Combine(guest, "vmlinuz"))}</kernel>
                <initrd>{SecurityElement.Escape(Path.Combine(guest, "initramfs.cpio.gz"))}</initrd>
                <cmdline>console=ttyS0 quiet {SecurityElement.Escape(cmdline)}</cmdline>
              </os>
              <devices>
                <serial type='pty'/>
                {devices}
              </devices>
            </domain>
            """;
    }

    /// <summary>QEMU with no guest (16 MiB), with the given devices.</summary>
    public static string Bare(string name, string devices = "") => $"""
        <domain type='qemu'>
          <name>{SecurityElement.Escape(name)}</name>
          <memory unit='MiB'>16</memory>
          <os><type arch='x86_64'>hvm</type></os>
          <devices>{devices}</devices>
        </domain>
        """;
}
