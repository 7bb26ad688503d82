using System.Text;

namespace Virt.Cli.Output;

/// <summary>virsh's table layout (<c>vshTable</c>): a leading blank, columns padded to the widest cell
/// and three blanks apart, the last column unpadded, a dashed rule under the header; no header when quiet.</summary>
internal sealed class VshTable
{
    private readonly string[] _header;
    private readonly List<string[]> _rows = [];

    public VshTable(params string[] header) => _header = header;

    /// <summary>Adds a row with as many cells as the header.</summary>
    public void Add(params string[] cells) => _rows.Add(cells);

    /// <summary>Renders the table.</summary>
    /// <param name="withHeader">False in quiet mode.</param>
    /// <returns>The text, every line ending in a newline.</returns>
    public string Render(bool withHeader)
    {
        var all = withHeader ? _rows.Prepend(_header).ToList() : _rows;
        int[] widths = new int[_header.Length];
        foreach (var row in all)
        {
            for (int i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        if (withHeader)
        {
            AppendRow(text, _header, widths);
            text.Append('-', widths.Sum() + (3 * (widths.Length - 1)) + 3).Append('\n');
        }

        foreach (var row in _rows)
        {
            AppendRow(text, row, widths);
        }

        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, string[] row, int[] widths)
    {
        text.Append(' ');
        for (int i = 0; i < row.Length; i++)
        {
            text.Append(row[i]);
            if (i < row.Length - 1)
            {
                text.Append(' ', widths[i] - row[i].Length + 3);
            }
        }

        text.Append('\n');
    }
}
