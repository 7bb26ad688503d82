using System.Xml.Linq;
using Virt.Conf;

namespace Virt.Drivers.Rules;

/// <summary>
/// The identifiers libvirt's domain XML parser generates at define, whatever the driver: an empty <c>&lt;genid/&gt;</c>
/// gets a VM generation ID, and an openvswitch <c>&lt;virtualport&gt;</c> without an <c>interfaceid</c> gets one
/// (both random UUIDs, printed by dumpxml from then on).
/// </summary>
internal static class DefineGeneratedIds
{
    /// <summary>Fills in the generated identifiers, in place.</summary>
    public static void Fill(DomainDefinition def)
    {
        ArgumentNullException.ThrowIfNull(def);
        foreach (var (_, element) in def.Extras.Children)
        {
            if (element.Name.LocalName == "genid" && !element.HasElements && element.Value.Trim().Length == 0)
            {
                element.Value = Guid.NewGuid().ToString("D");
            }
        }

        foreach (var nic in def.Devices.Interfaces)
        {
            foreach (var (_, element) in nic.Extras.Children)
            {
                if (element.Name.LocalName == "virtualport" && (string?)element.Attribute("type") == "openvswitch")
                {
                    var parameters = element.Element("parameters");
                    if (parameters is null)
                    {
                        parameters = new XElement("parameters");
                        element.Add(parameters);
                    }

                    if (parameters.Attribute("interfaceid") is null)
                    {
                        parameters.Add(new XAttribute("interfaceid", Guid.NewGuid().ToString("D")));
                    }
                }
            }
        }
    }
}
