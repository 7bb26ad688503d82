using System.Globalization;
using System.Xml.Linq;

namespace Virt.Conf;

/// <summary>
/// The defaults and normal forms libvirt's parser applies to elements Virt does not model but keeps whole
/// (memtune, numatune, cputune, NUMA cells, filesystem, rng, hostdev, input, watchdog, tpm, redirfilter): applied to
/// the kept copy once, when it is read, so that it prints as libvirt prints it. Attributes and children libvirt does
/// not know are left as they are.
/// </summary>
internal static class KeptNormalForms
{
    private static readonly string[] MemtuneOrder = ["hard_limit", "soft_limit", "min_guarantee", "swap_hard_limit"];

    public static void Apply(string parent, XElement kept)
    {
        if (kept.Name.Namespace != XNamespace.None)
        {
            return;
        }

        switch (parent, kept.Name.LocalName)
        {
            case ("domain", "memtune"):
                Memtune(kept);
                break;
            case ("domain", "numatune"):
                foreach (var e in kept.Elements().Where(e => e.Name.LocalName is "memory" or "memnode"))
                {
                    NormalizeSet(e, "nodeset");
                }

                break;
            case ("domain", "cputune"):
                Cputune(kept);
                break;
            case ("cpu", "numa"):
                NumaCells(kept);
                break;
            case ("devices", "filesystem"):
                Default(kept, "type", "mount");
                if ((string?)kept.Element("driver")?.Attribute("type") != "virtiofs")
                {
                    Default(kept, "accessmode", "passthrough");
                }

                break;
            case ("devices", "rng"):
                if (kept.Element("backend") is { } backend && (string?)backend.Attribute("model") == "random" && !backend.HasElements && backend.Value.Trim().Length == 0)
                {
                    backend.Value = "/dev/random";
                }

                foreach (var backend2 in kept.Elements("backend"))
                {
                    CharSource(backend2);
                }

                break;
            case ("devices", "channel" or "parallel" or "redirdev" or "smartcard"):
                CharSource(kept);
                break;
            case ("interface", "ip"):
                if (kept.Attribute("family") is null && (string?)kept.Attribute("address") is { } ip)
                {
                    var rest = kept.Attributes().Where(a => a.Name != "address").ToList();
                    kept.RemoveAttributes();
                    kept.Add(new XAttribute("address", ip), new XAttribute("family", ip.Contains(':', StringComparison.Ordinal) ? "ipv6" : "ipv4"), rest);
                }

                break;
            case ("devices", "hostdev"):
                if ((string?)kept.Attribute("mode") is null or "subsystem")
                {
                    Default(kept, "managed", "no");
                }

                // libvirt prints a device's boot order before its ROM settings.
                if (kept.Element("rom") is { } rom && kept.Element("boot") is { } boot && rom.IsBefore(boot))
                {
                    boot.Remove();
                    rom.AddBeforeSelf(boot);
                }

                break;
            case ("devices", "input") when (string?)kept.Attribute("type") is "mouse" or "keyboard" or "tablet":
                Default(kept, "bus", (string?)kept.Attribute("type") == "tablet" ? "usb" : "ps2");
                break;
            case ("devices", "watchdog") when (string?)kept.Attribute("model") is "i6300esb" or "ib700" or "diag288" or "itco":
                Default(kept, "action", "reset");
                break;
            case ("devices", "tpm"):
                if (kept.Element("backend") is { } tpmBackend && (string?)tpmBackend.Attribute("type") == "passthrough" && tpmBackend.Element("device") is null)
                {
                    tpmBackend.Add(new XElement("device", new XAttribute("path", "/dev/tpm0")));
                }

                break;
            case ("devices", "redirfilter"):
                foreach (var usbdev in kept.Elements("usbdev"))
                {
                    UpperHex(usbdev, "vendor");
                    UpperHex(usbdev, "product");
                    UpperHex(usbdev, "class");
                }

                break;
        }
    }

    /// <summary>A character device's host side kept whole (channel, parallel, redirdev, smartcard, rng backend): a tcp or
    /// unix source gets mode='connect', tcp gets <c>&lt;protocol type='raw'/&gt;</c> after its source.</summary>
    private static void CharSource(XElement device)
    {
        string? type = (string?)device.Attribute("type");
        if (type is not ("tcp" or "unix"))
        {
            return;
        }

        foreach (var source in device.Elements("source"))
        {
            Default(source, "mode", "connect");
        }

        if (type == "tcp" && device.Element("protocol") is null && device.Elements("source").LastOrDefault() is { } last)
        {
            last.AddAfterSelf(new XElement("protocol", new XAttribute("type", "raw")));
        }
    }

    private static void Memtune(XElement memtune)
    {
        foreach (var limit in memtune.Elements().Where(e => MemtuneOrder.Contains(e.Name.LocalName)))
        {
            ToKiB(limit);
        }

        Reorder(memtune, MemtuneOrder);
    }

    private static void Cputune(XElement cputune)
    {
        // The group id is the driver's (libvirt parses a definition without it and names the group at start), and the
        // vCPU set is printed as libvirt formats a bitmap.
        foreach (var tune in cputune.Elements().Where(e => e.Name.LocalName is "cachetune" or "memorytune"))
        {
            tune.Attribute("id")?.Remove();
            NormalizeSet(tune, "vcpus");
        }

        foreach (var pin in cputune.Elements().Where(e => e.Name.LocalName is "vcpupin" or "emulatorpin" or "iothreadpin"))
        {
            NormalizeSet(pin, "cpuset");
        }

        // libvirt keeps a scheduler per vCPU (per I/O thread) and prints one element for each, in id order.
        foreach (var (name, attribute) in new[] { ("vcpusched", "vcpus"), ("iothreadsched", "iothreads") })
        {
            var split = new List<(int Id, XElement Element)>();
            var rest = new List<XElement>();
            foreach (var sched in cputune.Elements(name).ToList())
            {
                if (sched.Attribute(attribute) is { } ids && CpuSet.Parse(ids.Value) is { Count: > 0 } set)
                {
                    foreach (int id in set)
                    {
                        var one = new XElement(sched);
                        one.SetAttributeValue(attribute, id.ToString(CultureInfo.InvariantCulture));
                        split.Add((id, one));
                    }

                    sched.Remove();
                }
                else
                {
                    rest.Add(sched);
                }
            }

            if (split.Count > 0)
            {
                var anchor = cputune.Elements().LastOrDefault(e => e.Name.LocalName is "vcpupin" or "emulatorpin" or "iothreadpin" or "shares" or "period" or "quota" or "global_period" or "global_quota" or "emulator_period" or "emulator_quota" or "iothread_period" or "iothread_quota" || (name == "iothreadsched" && e.Name.LocalName == "vcpusched"));
                var ordered = split.OrderBy(s => s.Id).Select(s => s.Element).ToList();
                if (anchor is null)
                {
                    cputune.AddFirst(ordered);
                }
                else
                {
                    anchor.AddAfterSelf(ordered);
                }
            }
        }
    }

    private static void NumaCells(XElement numa)
    {
        int index = 0;
        foreach (var cell in numa.Elements("cell"))
        {
            if (cell.Attribute("id") is null)
            {
                var attributes = cell.Attributes().ToList();
                cell.RemoveAttributes();
                cell.Add(new XAttribute("id", index.ToString(CultureInfo.InvariantCulture)), attributes);
            }

            if (cell.Attribute("memory") is { } memory && ulong.TryParse(memory.Value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                var probe = new XElement("memory", new XAttribute("unit", (string?)cell.Attribute("unit") ?? "KiB"), memory.Value);
                memory.Value = MemoryUnits.ParseKiB(probe).ToString(CultureInfo.InvariantCulture);
                cell.SetAttributeValue("unit", null);
                var after = cell.Attributes().ToList();
                cell.RemoveAttributes();
                foreach (var a in after)
                {
                    cell.Add(a);
                    if (a.Name == "memory")
                    {
                        cell.Add(new XAttribute("unit", "KiB"));
                    }
                }
            }

            index++;
        }
    }

    /// <summary>A size element (text with a unit) rewritten in KiB, as libvirt prints memory tuning values.</summary>
    internal static void ToKiB(XElement size)
    {
        if (size.HasElements || !ulong.TryParse(size.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return;
        }

        ulong kib = MemoryUnits.ParseKiB(size);
        size.SetAttributeValue("unit", "KiB");
        size.Value = kib.ToString(CultureInfo.InvariantCulture);
    }

    private static void NormalizeSet(XElement element, string attribute)
    {
        if (element.Attribute(attribute) is { } a)
        {
            a.Value = CpuSet.Normalize(a.Value);
        }
    }

    private static void Default(XElement element, string attribute, string value)
    {
        if (element.Attribute(attribute) is null)
        {
            element.Add(new XAttribute(attribute, value));
        }
    }

    private static void UpperHex(XElement element, string attribute)
    {
        if (element.Attribute(attribute) is { } a && a.Value.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(a.Value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int value))
        {
            a.Value = "0x" + value.ToString(attribute == "class" ? "X2" : "X4", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Puts the children named in <paramref name="order"/> in that order; others keep their place after the one they followed.</summary>
    private static void Reorder(XElement parent, string[] order)
    {
        var children = parent.Elements().ToList();
        int previous = -1;
        var ranked = children.Select((e, i) =>
        {
            int r = Array.IndexOf(order, e.Name.LocalName);
            previous = r >= 0 ? r : previous;
            return (e, Rank: r >= 0 ? r : previous, i);
        }).OrderBy(p => p.Rank).ThenBy(p => p.i).Select(p => p.e).ToList();
        parent.Elements().Remove();
        parent.Add(ranked);
    }
}
