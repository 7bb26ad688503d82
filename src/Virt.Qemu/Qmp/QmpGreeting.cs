using System.Text.Json;

namespace Virt.Qemu.Qmp;

/// <summary>What QEMU announced when the connection opened.</summary>
/// <param name="Version">QEMU's version (major.minor.micro).</param>
/// <param name="Package">The distribution's package string, possibly empty.</param>
/// <param name="Capabilities">The QMP capabilities offered, for example <c>oob</c>.</param>
internal sealed record QmpGreeting(Version Version, string Package, IReadOnlyList<string> Capabilities)
{
    /// <summary>Reads the greeting object.</summary>
    /// <exception cref="QmpProtocolException">The greeting lacks its version.</exception>
    internal static QmpGreeting FromDocument(JsonDocument document)
    {
        try
        {
            var qmp = document.RootElement.GetProperty("QMP"u8);
            var version = qmp.GetProperty("version"u8);
            var qemu = version.GetProperty("qemu"u8);
            var parsed = new Version(
                qemu.GetProperty("major"u8).GetInt32(),
                qemu.GetProperty("minor"u8).GetInt32(),
                qemu.GetProperty("micro"u8).GetInt32());
            string package = version.TryGetProperty("package"u8, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : string.Empty;
            var capabilities = new List<string>();
            if (qmp.TryGetProperty("capabilities"u8, out var caps) && caps.ValueKind == JsonValueKind.Array)
            {
                foreach (var cap in caps.EnumerateArray())
                {
                    if (cap.ValueKind == JsonValueKind.String)
                    {
                        capabilities.Add(cap.GetString()!);
                    }
                }
            }

            return new QmpGreeting(parsed, package, capabilities);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new QmpProtocolException(QmpMessages.MalformedField("greeting"), e);
        }
    }
}
