using System.Globalization;
using Virt.Conf;

namespace Virt.Qemu.Driver.Console;

/// <summary>A character device of a running domain with the alias QEMU knows it by.</summary>
/// <param name="Device">The device as the live definition has it (its pty path in <see cref="DomainCharDevice.SourcePath"/>).</param>
/// <param name="Alias">Its alias: <c>serialN</c>, <c>consoleN</c> (the first console, when it is the first serial port, shares <c>serial0</c>).</param>
internal sealed record ConsoleDevice(DomainCharDevice Device, string Alias)
{
    /// <summary>The device a console session opens, chosen as libvirt's <c>qemuDomainOpenConsole</c> does: by alias among
    /// the consoles then the serial ports, or, with no name, the first console, else the first serial port.</summary>
    /// <returns>The device, or null when there is none.</returns>
    public static ConsoleDevice? Find(DomainDefinition live, string? alias)
    {
        var all = All(live).ToList();
        if (alias is not null)
        {
            return all.FirstOrDefault(c => c.Alias == alias);
        }

        return all.FirstOrDefault(c => live.Devices.Consoles.Contains(c.Device))
            ?? all.FirstOrDefault(c => live.Devices.Serials.Contains(c.Device));
    }

    /// <summary>Every console then every serial port, with its alias.</summary>
    public static IEnumerable<ConsoleDevice> All(DomainDefinition live)
    {
        var devices = live.Devices;
        for (int i = 0; i < devices.Consoles.Count; i++)
        {
            yield return new ConsoleDevice(devices.Consoles[i], ConsoleAlias(devices, i));
        }

        for (int i = 0; i < devices.Serials.Count; i++)
        {
            yield return new ConsoleDevice(devices.Serials[i], SerialAlias(i));
        }
    }

    /// <summary>The alias of serial port <paramref name="index"/>.</summary>
    public static string SerialAlias(int index) => string.Create(CultureInfo.InvariantCulture, $"serial{index}");

    /// <summary>The alias of console <paramref name="index"/>: the first console of target type serial is the first serial port.</summary>
    public static string ConsoleAlias(DomainDevices devices, int index) =>
        index == 0 && devices.Serials.Count > 0 && devices.Consoles[0].TargetType is null or "serial"
            ? SerialAlias(0) : string.Create(CultureInfo.InvariantCulture, $"console{index}");
}
