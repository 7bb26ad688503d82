using System.Text.Json.Nodes;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Snapshots;

/// <summary>
/// The QMP monitor a snapshot proof talks to: a domain's (through the driver's <c>qemu-monitor-command</c>) or a raw
/// <see cref="QmpClient"/>'s. Every error reply fails the test with QEMU's own text.
/// </summary>
internal sealed class SnapshotProbeMonitor(Func<string, string> execute)
{
    /// <summary>The monitor of a running domain, reached through the façade.</summary>
    public static SnapshotProbeMonitor Of(IVirtDomain domain) => new(json => domain.MonitorCommand(json));

    /// <summary>The monitor behind a raw QMP client.</summary>
    public static SnapshotProbeMonitor Of(QmpClient client) => new(json => client.ExecuteRaw(json));

    /// <summary>Runs a QMP command and returns its <c>return</c> value.</summary>
    public JsonNode? Execute(string command, JsonObject? arguments = null)
    {
        var request = new JsonObject { ["execute"] = command };
        if (arguments is not null)
        {
            request["arguments"] = arguments;
        }

        string reply = execute(request.ToJsonString());
        var parsed = JsonNode.Parse(reply)!.AsObject();
        if (parsed["error"] is { } error)
        {
            throw new InvalidOperationException($"QMP {command} failed: {error["desc"]}");
        }

        return parsed["return"];
    }

    /// <summary>Runs an HMP command and returns what QEMU answered (HMP errors come back as text, not as a QMP error).</summary>
    public string Hmp(string commandLine) => Execute("human-monitor-command", new JsonObject { ["command-line"] = commandLine })!.GetValue<string>();

    /// <summary>QEMU's run state (<c>query-status</c>): running, paused, prelaunch...</summary>
    public string Status() => Execute("query-status")!["status"]!.GetValue<string>();
}
