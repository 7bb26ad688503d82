using System.Globalization;
using System.Xml.Linq;

namespace Virt.Conf;

/// <summary>Parses <c>&lt;interface&gt;</c>.</summary>
internal static partial class DomainDeviceParser
{
    private static DomainInterface ParseInterface(XElement element)
    {
        var children = new XmlChildren(element, "mac", "source", "target", "model", "boot", "address");
        var nic = new DomainInterface { Type = element.Attribute("type")?.Value ?? throw SafeXml.Error(element, "missing type attribute in interface") };
        XmlChildren.KeepAttributes(nic.Extras, "interface", element, "type");
        if (children.One("mac") is { } mac)
        {
            nic.MacAddress = mac.Attribute("address")?.Value;
            if (nic.MacAddress is null || !IsMac(nic.MacAddress))
            {
                throw SafeXml.Error(mac, $"unable to parse mac address '{nic.MacAddress}'");
            }

            XmlChildren.KeepPartial(nic.Extras, "mac", mac, ["address"]);
        }

        if (children.One("source") is { } source)
        {
            nic.SourceNetwork = source.Attribute("network")?.Value;
            nic.SourceBridge = source.Attribute("bridge")?.Value;
            var keptSource = source;
            if (nic.Type == "direct" && source.Attribute("mode") is null)
            {
                // libvirt: a macvtap interface without a mode is in vepa mode.
                keptSource = new XElement(source);
                keptSource.Add(new XAttribute("mode", "vepa"));
            }

            if (keptSource.Attribute("portid") is not null)
            {
                // libvirt: the network port is the running domain's; a definition does not keep it.
                keptSource = new XElement(keptSource);
                keptSource.Attribute("portid")!.Remove();
            }

            XmlChildren.KeepPartial(nic.Extras, "source", keptSource, ["network", "bridge"]);
        }

        if (nic.Type == "network" && nic.SourceNetwork is null)
        {
            throw SafeXml.Error(element, "No <source> 'network' attribute specified with <interface type='network'/>");
        }

        if (children.One("target") is { } target)
        {
            // Like libvirt for an inactive definition: names the host generates (vnetN, macvtapN) are not kept.
            nic.TargetDev = target.Attribute("dev")?.Value is { } ifname
                && !(ifname.StartsWith("vnet", StringComparison.Ordinal) || ifname.StartsWith("macvtap", StringComparison.Ordinal) || ifname.StartsWith("macvlan", StringComparison.Ordinal))
                ? ifname : null;
            XmlChildren.KeepPartial(nic.Extras, "target", target, ["dev"]);
        }

        if (children.One("model") is { } model)
        {
            nic.ModelType = model.Attribute("type")?.Value;
            XmlChildren.KeepPartial(nic.Extras, "model", model, ["type"]);
        }

        nic.BootOrder = XmlChildren.Int(children.One("boot"), "order", 1);
        XmlChildren.KeepPartial(nic.Extras, "boot", children.One("boot"), ["order"]);
        nic.Address = ParseAddress(children.One("address"));
        children.KeepUnknown(nic.Extras);
        return nic;
    }

    private static bool IsMac(string mac) =>
        mac.Length == 17 && mac.Select((c, i) => i % 3 == 2 ? c == ':' : Uri.IsHexDigit(c)).All(ok => ok);
}
