using System.Text.Json;

namespace Virt.Qemu.Driver.Nvram;

/// <summary>
/// QEMU's firmware descriptors (<c>/usr/share/qemu/firmware/*.json</c>, the interop format libvirt reads too): which
/// NVRAM template belongs to a firmware image, so a domain's variable store can be created when the definition
/// names no template.
/// </summary>
internal static class FirmwareDescriptors
{
    /// <summary>The folders searched, in QEMU's order of precedence.</summary>
    public static readonly string[] Folders = ["/etc/qemu/firmware", "/usr/share/qemu/firmware"];

    /// <summary>The NVRAM template a descriptor pairs with <paramref name="executable"/>, or null.</summary>
    public static string? TemplateFor(string executable, IEnumerable<string>? folders = null)
    {
        foreach (string folder in folders ?? Folders)
        {
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
            {
                if (Read(file) is { } pair && pair.Executable == executable)
                {
                    return pair.Template;
                }
            }
        }

        return null;
    }

    private static (string Executable, string Template)? Read(string file)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            if (!doc.RootElement.TryGetProperty("mapping", out var mapping)
                || !mapping.TryGetProperty("executable", out var executable) || !executable.TryGetProperty("filename", out var code)
                || !mapping.TryGetProperty("nvram-template", out var template) || !template.TryGetProperty("filename", out var vars))
            {
                return null;
            }

            return (code.GetString() ?? "", vars.GetString() ?? "");
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
