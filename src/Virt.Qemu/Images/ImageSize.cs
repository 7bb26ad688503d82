using System.Globalization;

namespace Virt.Qemu.Images;

/// <summary>Sizes written and shown the way qemu-img does: <c>10G</c>, <c>512M</c>, <c>1.5k</c>, <c>10737418240</c>; <c>1 GiB</c>.</summary>
public static class ImageSize
{
    private const string Suffixes = "BKMGTPE";

    /// <summary>
    /// Parses a size like qemu-img: a number of bytes, optionally with a fraction and one suffix
    /// B, K, M, G, T, P or E (case-insensitive, powers of 1024). A fraction needs a suffix above B.
    /// </summary>
    /// <param name="text">The size text.</param>
    /// <returns>The size in bytes.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> when the text is not a valid size or exceeds 8 EiB.</exception>
    public static long Parse(string text) =>
        TryParse(text, out long value) ? value
            : throw new VirtException(VirtErrorCode.InvalidArg,
                $"invalid size '{text}': give a number of bytes with an optional suffix K, M, G, T, P or E (powers of 1024), e.g. 10G or 512M, below 8 EiB");

    /// <summary>Parses a size like <see cref="Parse"/> without throwing.</summary>
    /// <param name="text">The size text.</param>
    /// <param name="value">The size in bytes when the text is valid.</param>
    /// <returns>True when the text is a valid size.</returns>
    public static bool TryParse(string? text, out long value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        ReadOnlySpan<char> s = text.AsSpan().Trim();
        int i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        if (i == 0)
        {
            return false;
        }

        if (!ulong.TryParse(s[..i], NumberStyles.None, CultureInfo.InvariantCulture, out ulong whole))
        {
            return false;
        }

        double fraction = 0;
        bool hasFraction = false;
        if (i < s.Length && s[i] == '.')
        {
            int start = i;
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            hasFraction = true;
            fraction = double.Parse(string.Concat("0", s[start..i]), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        int power = 0;
        if (i < s.Length)
        {
            int suffix = Suffixes.IndexOf(char.ToUpperInvariant(s[i]));
            if (suffix < 0 || i != s.Length - 1)
            {
                return false;
            }

            power = suffix;
        }

        if (hasFraction && power == 0)
        {
            return false;
        }

        ulong multiplier = 1UL << (10 * power);
        if (whole > long.MaxValue / multiplier)
        {
            return false;
        }

        double extra = fraction * multiplier;
        ulong total = whole * multiplier + (ulong)extra;
        if (total > long.MaxValue)
        {
            return false;
        }

        value = (long)total;
        return true;
    }

    /// <summary>Formats a byte count like qemu-img's human output: three significant digits and a binary unit (<c>0 B</c>, <c>204 KiB</c>, <c>1.5 GiB</c>).</summary>
    /// <param name="bytes">The byte count (not negative).</param>
    /// <returns>The text.</returns>
    public static string ToHumanString(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        double scaled = bytes / (1000.0 / 1024.0);
        int exponent = scaled < 1 ? 0 : Math.ILogB(scaled) + 1;
        int index = Math.Clamp((exponent - 1) / 10, 0, units.Length - 1);
        double value = bytes / Math.Pow(2, 10 * index);
        string number = value.ToString("G3", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
        return number + " " + units[index];
    }
}
