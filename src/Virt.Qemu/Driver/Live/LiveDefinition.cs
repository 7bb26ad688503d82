using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Virt.Conf;
using Virt.Qemu.Driver.Console;
using Virt.Qemu.Driver.Process;

namespace Virt.Qemu.Driver.Live;

/// <summary>
/// The live definition of a running domain as libvirt 9.0 prints it: <c>id=</c> on the root, an <c>&lt;alias&gt;</c> on
/// each device QEMU knows by a name, each disk's <c>&lt;source ... index='N'/&gt;</c> (N as in its node names
/// <c>libvirt-N-*</c>) followed by its backing chain as <c>&lt;backingStore&gt;</c> elements ending in an empty one
/// (QEMU opens the backing files itself, so their indexes follow the last top node's instead of interleaving as
/// libvirt's do), and for pty character devices the pty QEMU made
/// (<c>&lt;source path='/dev/pts/N'/&gt;</c>, and <c>tty=</c> on the console). Node names are not printed: libvirt keeps
/// them in its private status XML, as this driver keeps them in the status file.
/// </summary>
internal static class LiveDefinition
{
    /// <summary>Formats the live XML of <paramref name="def"/> started by <paramref name="command"/>.</summary>
    /// <param name="def">The definition the domain was started from (not changed).</param>
    /// <param name="id">The domain's id.</param>
    /// <param name="command">The command QEMU was started with (disk aliases and node names).</param>
    /// <param name="ptys">The pty of each chardev, by chardev id (<c>charserial0</c> → <c>/dev/pts/3</c>).</param>
    /// <param name="backingOf">The backing chain below disk <c>i</c>'s image (its backing file first), empty for none.</param>
    public static string Format(DomainDefinition def, int id, QemuCommand command, IReadOnlyDictionary<string, string> ptys,
        Func<int, IReadOnlyList<(string Path, string Format)>> backingOf)
    {
        var live = def.Clone();
        var devices = live.Devices;
        for (int i = 0; i < devices.Serials.Count; i++)
        {
            if (devices.Serials[i].Type == "pty" && ptys.TryGetValue(ChardevId(i), out string? pty))
            {
                devices.Serials[i].SourcePath = pty;
            }
        }

        string? consoleTty = null;
        if (devices.Consoles.Count > 0 && ConsoleDevice.ConsoleAlias(devices, 0) == ConsoleDevice.SerialAlias(0)
            && devices.Consoles[0].Type == "pty" && devices.Serials[0].SourcePath is { } serialPty && devices.Serials[0].Type == "pty")
        {
            devices.Consoles[0].SourcePath = serialPty;
            consoleTty = serialPty;
        }

        var root = XElement.Parse(live.ToXml(id));
        var xmlDevices = root.Element("devices")!;
        DecorateDisks(xmlDevices, command, backingOf);
        AddAliases(xmlDevices.Elements("interface"), i => Name("net", i));
        AddAliases(xmlDevices.Elements("serial"), ConsoleDevice.SerialAlias);
        AddAliases(xmlDevices.Elements("console"), i => ConsoleDevice.ConsoleAlias(devices, i));
        AddAliases(xmlDevices.Elements("video"), i => Name("video", i));
        AddAliases(xmlDevices.Elements("memballoon"), i => Name("balloon", i));
        if (consoleTty is not null)
        {
            xmlDevices.Element("console")!.SetAttributeValue("tty", consoleTty);
        }

        // Parsed once more so that what was added is printed in libvirt's order and quoting, like the rest.
        return DomainDefinition.Parse(root.ToString()).ToXml(id);
    }

    /// <summary>The pty of each pty chardev from QMP <c>query-chardev</c>'s reply (<c>filename</c> is <c>pty:/dev/pts/N</c>).</summary>
    public static IReadOnlyDictionary<string, string> PtysOf(JsonElement queryChardev)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chardev in queryChardev.EnumerateArray())
        {
            if (chardev.TryGetProperty("label", out var label) && chardev.TryGetProperty("filename", out var file)
                && file.GetString() is { } name && name.StartsWith("pty:", StringComparison.Ordinal))
            {
                result[label.GetString()!] = name["pty:".Length..];
            }
        }

        return result;
    }

    /// <summary>The chardev id of serial port <paramref name="index"/>, as the command line names it.</summary>
    public static string ChardevId(int index) => Name("charserial", index);

    private static void DecorateDisks(XElement devices, QemuCommand command, Func<int, IReadOnlyList<(string Path, string Format)>> backingOf)
    {
        var disks = devices.Elements("disk").ToList();
        int nextIndex = command.Disks.Select(d => NodeIndex(d.FormatNode) ?? 0).DefaultIfEmpty(0).Max() + 1;
        for (int i = 0; i < disks.Count && i < command.Disks.Count; i++)
        {
            var nodes = command.Disks[i];
            var source = disks[i].Element("source");
            if (source is not null && NodeIndex(nodes.FormatNode) is { } index)
            {
                source.SetAttributeValue("index", index.ToString(CultureInfo.InvariantCulture));
                var chain = new XElement("backingStore");
                source.AddAfterSelf(chain);
                foreach (var (path, format) in backingOf(i))
                {
                    chain.Add(new XAttribute("type", "file"), new XAttribute("index", (nextIndex++).ToString(CultureInfo.InvariantCulture)),
                        new XElement("format", new XAttribute("type", format)), new XElement("source", new XAttribute("file", path)));
                    var below = new XElement("backingStore");
                    chain.Add(below);
                    chain = below;
                }
            }

            AddAlias(disks[i], nodes.Alias);
        }
    }

    private static int? NodeIndex(string? node)
    {
        // libvirt-N-format
        string[] parts = node?.Split('-') ?? [];
        return parts.Length == 3 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : null;
    }

    private static void AddAliases(IEnumerable<XElement> elements, Func<int, string> alias)
    {
        int i = 0;
        foreach (var element in elements.ToList())
        {
            AddAlias(element, alias(i++));
        }
    }

    private static void AddAlias(XElement device, string alias)
    {
        var element = new XElement("alias", new XAttribute("name", alias));
        if (device.Element("address") is { } address)
        {
            address.AddBeforeSelf(element);
        }
        else
        {
            device.Add(element);
        }
    }

    private static string Name(string prefix, int index) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{index}");
}
