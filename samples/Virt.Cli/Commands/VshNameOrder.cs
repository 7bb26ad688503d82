using System.Text;

namespace Virt.Cli.Commands;

/// <summary>virsh's name order for domains and snapshots (<c>vshStrcasecmp</c>, that is <c>strcasecmp</c> in the C locale): the names' UTF-8 bytes compared one by
/// one with only ASCII A–Z folded to lower case, so <c>_</c> sorts before letters and <c>É</c> (C3 89) before
/// <c>é</c> (C3 A9).</summary>
internal sealed class VshNameOrder : IComparer<string>
{
    public static readonly VshNameOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        byte[] a = Encoding.UTF8.GetBytes(x);
        byte[] b = Encoding.UTF8.GetBytes(y);
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            int c = Fold(a[i]) - Fold(b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Length - b.Length;
    }

    private static int Fold(byte c) => c is >= (byte)'A' and <= (byte)'Z' ? c + ('a' - 'A') : c;
}
