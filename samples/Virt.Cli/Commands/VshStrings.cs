using System.Text;

namespace Virt.Cli.Commands;

/// <summary>virsh's string helpers that several commands use: XML and shell escaping, comma-separated lists.</summary>
internal static class VshStrings
{
    private const string ShellSpecials = "\r\t\n !\"#$&'()*;<>?[\\]^`{|}~";

    /// <summary>Escapes text for XML content or a quoted attribute and drops control characters but tab, CR and LF (libvirt's <c>virBufferEscapeString</c>).</summary>
    internal static string EscapeXml(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            switch (c)
            {
                case '<': text.Append("&lt;"); break;
                case '>': text.Append("&gt;"); break;
                case '&': text.Append("&amp;"); break;
                case '"': text.Append("&quot;"); break;
                case '\'': text.Append("&apos;"); break;
                case < ' ' and not ('\n' or '\t' or '\r'): break;
                default: text.Append(c); break;
            }
        }

        return text.ToString();
    }

    /// <summary>Quotes a word for a POSIX shell when it needs it (libvirt's <c>virBufferEscapeShell</c>).</summary>
    internal static string EscapeShell(string value)
    {
        if (value.Length == 0)
        {
            return "''";
        }

        if (value.IndexOfAny(ShellSpecials.ToCharArray()) < 0)
        {
            return value;
        }

        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Splits on commas, with <c>,,</c> standing for a literal comma (virsh's <c>vshStringToArray</c>).</summary>
    internal static List<string> SplitEscaped(string value)
    {
        var parts = new List<string>();
        var part = new StringBuilder();
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] != ',')
            {
                part.Append(value[i]);
            }
            else if (i + 1 < value.Length && value[i + 1] == ',')
            {
                part.Append(',');
                i++;
            }
            else
            {
                parts.Add(part.ToString());
                part.Clear();
            }
        }

        parts.Add(part.ToString());
        return parts;
    }
}
