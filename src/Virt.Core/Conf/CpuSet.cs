using System.Globalization;
using System.Text;

namespace Virt.Conf;

/// <summary>libvirt's CPU and NUMA node lists (<c>0-5,^4</c>): parsed to a set, printed as sorted ranges (<c>0-3,5</c>).</summary>
internal static class CpuSet
{
    /// <summary>The ids in <paramref name="text"/> in order, or null when it is not a valid list.</summary>
    public static SortedSet<int>? Parse(string text)
    {
        var set = new SortedSet<int>();
        var excluded = new List<int>();
        foreach (string raw in text.Split(','))
        {
            string part = raw.Trim();
            bool exclude = part.StartsWith('^');
            if (exclude)
            {
                part = part[1..];
            }

            string[] ends = part.Split('-');
            if (ends.Length is < 1 or > 2
                || !int.TryParse(ends[0], NumberStyles.None, CultureInfo.InvariantCulture, out int low)
                || !int.TryParse(ends[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int high)
                || high < low || high - low > 65536 || (exclude && ends.Length != 1))
            {
                return null;
            }

            for (int i = low; i <= high; i++)
            {
                if (exclude)
                {
                    excluded.Add(i);
                }
                else
                {
                    set.Add(i);
                }
            }
        }

        set.ExceptWith(excluded);
        return set;
    }

    /// <summary>Sorted ranges: <c>0-3,5</c>.</summary>
    public static string Format(IEnumerable<int> ids)
    {
        var sb = new StringBuilder();
        int? start = null;
        int previous = 0;
        foreach (int id in ids.Order())
        {
            if (start is not null && id == previous + 1)
            {
                previous = id;
                continue;
            }

            Append(sb, start, previous);
            start = id;
            previous = id;
        }

        Append(sb, start, previous);
        return sb.ToString();
    }

    /// <summary><paramref name="text"/> in libvirt's printed form, or unchanged when it is not a valid list.</summary>
    public static string Normalize(string text) => Parse(text) is { Count: > 0 } set ? Format(set) : text;

    private static void Append(StringBuilder sb, int? start, int end)
    {
        if (start is not { } s)
        {
            return;
        }

        if (sb.Length > 0)
        {
            sb.Append(',');
        }

        sb.Append(s.ToString(CultureInfo.InvariantCulture));
        if (end != s)
        {
            sb.Append('-').Append(end.ToString(CultureInfo.InvariantCulture));
        }
    }
}
