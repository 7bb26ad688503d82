using System.Globalization;
using System.Text;

namespace Virt.Conf;

/// <summary>
/// Turns the bytes of an XML file into text as libvirt does: strictly as UTF-8, whatever an
/// <c>&lt;?xml encoding=...?&gt;</c> declaration says (libvirt hands libxml2 UTF-8 and refuses a Latin-1 byte even
/// under <c>encoding='ISO-8859-1'</c>, while UTF-8 under such a declaration is read as UTF-8), with libxml2's error
/// as libvirt reports it. A UTF-8 byte order mark is dropped.
/// </summary>
internal static class Utf8Xml
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The file's content.</param>
    /// <param name="documentName">libvirt's name of the document in messages, such as <c>domain_definition</c>.</param>
    /// <returns>The text.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.XmlError"/>: "(NAME):LINE: Input is not proper UTF-8,
    /// indicate encoding !", the next four bytes, the line and a pointer to the first bad byte.</exception>
    public static string Decode(ReadOnlySpan<byte> bytes, string documentName)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return Strict.GetString(bytes);
        }

        int bad = FirstInvalid(bytes);
        throw new VirtException(VirtErrorCode.XmlError, Describe(bytes, bad, documentName));
    }

    private static int FirstInvalid(ReadOnlySpan<byte> bytes)
    {
        int offset = 0;
        while (offset < bytes.Length)
        {
            var status = Rune.DecodeFromUtf8(bytes[offset..], out _, out int consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return offset;
    }

    /// <summary>libxml2's message and libvirt's context line with its <c>---^</c> pointer (virxml.c catchXMLError).</summary>
    private static string Describe(ReadOnlySpan<byte> bytes, int bad, string documentName)
    {
        int line = 1 + bytes[..bad].Count((byte)'\n');
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"({documentName}):{line}: Input is not proper UTF-8, indicate encoding !");
        if (bytes.Length - bad >= 4)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\nBytes: 0x{bytes[bad]:X2} 0x{bytes[bad + 1]:X2} 0x{bytes[bad + 2]:X2} 0x{bytes[bad + 3]:X2}");
        }

        int start = bad;
        while (start > 0 && bytes[start - 1] is not ((byte)'\n' or (byte)'\r'))
        {
            start--;
        }

        int end = bad;
        while (end < bytes.Length && bytes[end] is not ((byte)'\n' or (byte)'\r' or 0))
        {
            end++;
        }

        // The line as a terminal shows libvirt's raw bytes (each bad byte a U+FFFD); the pointer counts bytes.
        sb.Append('\n').Append(Encoding.UTF8.GetString(bytes[start..end]));
        sb.Append('\n').Append('-', bad - start).Append('^');
        return sb.ToString();
    }
}
