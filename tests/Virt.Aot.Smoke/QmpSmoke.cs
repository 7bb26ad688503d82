using System.Text.Json;
using Virt.Qemu.Driver;

namespace Virt.Aot.Smoke;

/// <summary>Virt.Qemu's driver and QMP client against a real QEMU (no disk, 16 MiB: it starts in well under a second).</summary>
internal static class QmpSmoke
{
    public static string Run(string scratch)
    {
        QemuDriver.Register();
        using var conn = VirtConnection.Open("qemu:///embed?root=" + Path.Combine(scratch, "qemu"));
        var dom = conn.DefineDomain("<domain type='qemu'><name>vm</name><memory unit='MiB'>16</memory><os><type arch='x86_64'>hvm</type></os></domain>");
        dom.Start(DomainStartFlags.Paused);
        try
        {
            string reply = dom.MonitorCommand("""{"execute":"query-status"}""");
            using var doc = JsonDocument.Parse(reply);
            string status = doc.RootElement.GetProperty("return").GetProperty("status").GetString() ?? "";
            var state = dom.GetState();
            return $"query-status {status}; vm {state.State}";
        }
        finally
        {
            dom.Destroy();
            dom.Undefine();
        }
    }
}
