using Virt.Remote;

namespace Virt.Aot.Smoke;

/// <summary>Virt.Remote's RPC client and XDR codec against a libvirtd serving the test driver.</summary>
internal static class RemoteSmoke
{
    public static string Run(string uri)
    {
        RemoteDriver.Register();
        using var conn = VirtConnection.Open(uri);
        var dom = conn.LookupDomainByName("test");
        var names = conn.ListAllDomains().Select(d => d.Name).Order(StringComparer.Ordinal);
        return $"{string.Join(",", names)}; test {dom.GetState().State}, xml names it {dom.GetXmlDescription().Contains("<name>test</name>", StringComparison.Ordinal)}";
    }
}
