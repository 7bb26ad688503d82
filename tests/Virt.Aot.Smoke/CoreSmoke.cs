using Virt.Testing;

namespace Virt.Aot.Smoke;

/// <summary>Virt.Core's façade and domain XML over Virt.Testing's test:///default driver.</summary>
internal static class CoreSmoke
{
    public static string Run()
    {
        TestDriver.Register();
        using var conn = VirtConnection.Open("test:///default");
        var dom = conn.DefineDomain("<domain type='test'><name>aot</name><memory unit='MiB'>64</memory><os><type>hvm</type></os></domain>");
        dom.Start();
        dom.Suspend();
        string xml = dom.GetXmlDescription();
        string missing;
        try
        {
            conn.LookupDomainByName("nosuch");
            missing = "found";
        }
        catch (VirtException ex)
        {
            missing = ex.Code + " '" + ex.Message + "'";
        }

        var names = conn.ListAllDomains().Select(d => d.Name).Order(StringComparer.Ordinal);
        return $"{string.Join(",", names)}; aot {dom.GetState().State}, memory {Between(xml, "<memory unit='KiB'>", "<")} KiB; {missing}";
    }

    private static string Between(string text, string before, string after)
    {
        int start = text.IndexOf(before, StringComparison.Ordinal) + before.Length;
        return text[start..text.IndexOf(after, start, StringComparison.Ordinal)];
    }
}
