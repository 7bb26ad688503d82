using System.Globalization;
using System.Xml.Linq;

namespace Virt.Conf;

/// <summary>Memory sizes with libvirt's unit suffixes (<c>virScaleInteger</c>): parsed to KiB, rounded up.</summary>
internal static class MemoryUnits
{
    /// <summary>The largest size accepted, in KiB (libvirt's limit: LLONG_MAX bytes).</summary>
    public const ulong MaxKiB = long.MaxValue / 1024;

    /// <summary>Parses the text of <paramref name="element"/> with its <c>unit</c> attribute (default KiB) into KiB.</summary>
    public static ulong ParseKiB(XElement element) => (ParseBytes(element) + 1023) / 1024;

    /// <summary>Parses the text of <paramref name="element"/> with its <c>unit</c> attribute (default KiB) into bytes.</summary>
    public static ulong ParseBytes(XElement element)
    {
        string text = element.Value.Trim();
        string xpath = "./" + element.Name.LocalName + "[1]";
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
        {
            throw SafeXml.Error(element, $"Invalid value '{text}' for element or attribute '{xpath}'");
        }

        var unitAttribute = element.Attribute("unit");
        ulong scale = unitAttribute is null ? 1024 : Scale(unitAttribute);
        if (value > long.MaxValue / scale)
        {
            throw SafeXml.Error(element, $"value too large: {text} {unitAttribute?.Value ?? "KiB"} for '{xpath}'; the limit is {MaxKiB} KiB");
        }

        return value * scale;
    }

    private static ulong Scale(XAttribute unit)
    {
        string s = unit.Value;
        if (s.Length == 0 || s.Equals("b", StringComparison.OrdinalIgnoreCase) || s.Equals("bytes", StringComparison.OrdinalIgnoreCase))
        {
            return 1;
        }

        int power = char.ToLowerInvariant(s[0]) switch
        {
            'k' => 1,
            'm' => 2,
            'g' => 3,
            't' => 4,
            'p' => 5,
            'e' => 6,
            _ => -1,
        };
        ulong bases = s.Length switch
        {
            1 => 1024,
            2 when s[1] is 'b' or 'B' => 1000,
            3 when s[1] is 'i' or 'I' && s[2] is 'b' or 'B' => 1024,
            _ => 0,
        };
        if (power < 0 || bases == 0)
        {
            throw SafeXml.Error(unit, $"unknown suffix '{s}'; use b, KiB, MiB, GiB, TiB (or KB, MB, GB, TB for powers of 1000)");
        }

        ulong result = 1;
        for (int i = 0; i < power; i++)
        {
            result *= bases;
        }

        return result;
    }
}
