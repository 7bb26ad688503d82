using System.Xml.Linq;

namespace Virt.Cli.Commands;

/// <summary>
/// Facts virsh gets from libvirt calls the Virt façade does not have (<c>virDomainGetOSType</c>,
/// <c>virNodeGetSecurityModel</c>, <c>virDomainGetSecurityLabel</c>). For libvirt's test driver they
/// are constants, so <c>virt</c> mirrors them for a <c>Test</c> connection; otherwise the OS type
/// comes from the domain XML and no security model is shown (the QEMU driver has none).
/// </summary>
internal static class HostFacts
{
    public static bool IsTestDriver(IVirtConnection connection) =>
        string.Equals(connection.HypervisorType, "test", StringComparison.OrdinalIgnoreCase);

    /// <summary>The OS type dominfo shows.</summary>
    public static string OsType(IVirtDomain domain)
    {
        if (IsTestDriver(domain.Connection))
        {
            return "linux";
        }

        var xml = DomainXml.Parse(domain.GetXmlDescription());
        return xml.Root?.Element("os")?.Element("type")?.Value ?? "hvm";
    }

    /// <summary>The security lines dominfo shows, or none.</summary>
    public static IEnumerable<(string Label, string Value)> Security(IVirtDomain domain)
    {
        if (!IsTestDriver(domain.Connection))
        {
            yield break;
        }

        yield return ("Security model:", "testSecurity");
        yield return ("Security DOI:", string.Empty);
        if (domain.IsActive)
        {
            yield return ("Security label:", "libvirt-test (enforcing)");
        }
    }
}

/// <summary>Parses domain XML safely: no DTDs, no external entities.</summary>
internal static class DomainXml
{
    public static XDocument Parse(string xml)
    {
        var settings = new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = System.Xml.XmlReader.Create(new StringReader(xml), settings);
        return XDocument.Load(reader);
    }
}
