using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Virt.Drivers.Rules;

/// <summary>
/// Turns a domain name into one safe file-name component, for drivers that keep a file or folder per domain.
/// libvirt accepts names such as <c>..</c>, <c>.</c>, <c>-x</c> or names with control characters (only
/// <c>/</c> and a newline are refused), so a name is never used as a path component as it is.
/// </summary>
/// <remarks>
/// <para>The encoding: ASCII letters, digits, <c>_</c>, <c>-</c> and <c>.</c> stay as they are, except a leading
/// <c>.</c>; every other UTF-8 byte (including <c>%</c>, <c>/</c>, <c>\</c>, NUL and control characters) becomes
/// <c>%XX</c> with upper-case hex digits. So <c>..</c> becomes <c>%2E.</c>, <c>a/b</c> becomes <c>a%2Fb</c>, and the
/// result is never empty, never <c>.</c> or <c>..</c>, never hidden, and holds no separator. The encoding is
/// one-to-one (percent-decoding gives the name back), so two names never share a component.</para>
/// <para>A result longer than <see cref="MaxLength"/> bytes is cut, without splitting an escape, and ends with
/// <c>~</c> and 32 hex digits of the SHA-256 of the name: <c>~</c> never appears in an uncut result, so a cut
/// result cannot equal an uncut one, and two cut results differ unless SHA-256 collides in 128 bits.</para>
/// <para>Letter case is kept: <c>Web</c> and <c>web</c> are different domains and different components, so the
/// folder must be on a case-sensitive file system (any Linux one).</para>
/// </remarks>
internal static class DomainFileName
{
    /// <summary>The longest component returned, in bytes (all ASCII). It leaves 55 of the 255 bytes a Linux file
    /// name may have for a suffix such as <c>.xml</c> or <c>.nvram</c>.</summary>
    public const int MaxLength = 200;

    private const string HashMark = "~";
    private const int HashHexDigits = 32;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The component for <paramref name="name"/>.</summary>
    /// <param name="name">The domain name.</param>
    /// <returns>A file name of 1 to <see cref="MaxLength"/> ASCII characters that names no other folder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or is not valid UTF-16 (a lone surrogate),
    /// which no parsed domain definition allows.</exception>
    public static string ToPathComponent(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(name);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException("the domain name is not valid UTF-16", nameof(name), ex);
        }

        var encoded = new StringBuilder(bytes.Length);
        for (int i = 0; i < bytes.Length; i++)
        {
            byte b = bytes[i];
            bool keep = char.IsAsciiLetterOrDigit((char)b) || b is (byte)'_' or (byte)'-' || (b == '.' && i > 0);
            if (keep)
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.Length <= MaxLength ? encoded.ToString() : Cut(encoded.ToString(), bytes);
    }

    private static string Cut(string encoded, byte[] nameBytes)
    {
        int keep = MaxLength - 1 - HashHexDigits;

        // Do not end the kept part inside a "%XX" escape.
        int percent = encoded.LastIndexOf('%', keep - 1, 3);
        if (percent >= 0 && percent + 3 > keep)
        {
            keep = percent;
        }

        string hash = Convert.ToHexString(SHA256.HashData(nameBytes), 0, HashHexDigits / 2);
        return string.Concat(encoded.AsSpan(0, keep), HashMark, hash);
    }
}
