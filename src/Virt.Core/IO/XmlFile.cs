using Virt.Conf;

namespace Virt.IO;

/// <summary>
/// Reads an XML document from a file the way virsh does (<c>virFileReadAll</c> with <c>VSH_MAX_XML_FILE</c>), for
/// tools built on the library: at most <see cref="MaxBytes"/>, without ever blocking on a FIFO or reading a device
/// without end, and decoded strictly as UTF-8.
/// </summary>
public static class XmlFile
{
    /// <summary>The largest file read, 10 MiB (virsh's <c>VSH_MAX_XML_FILE</c>).</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <summary>Reads the whole of <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>Its bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.SystemError"/> with libvirt's wording: "Failed to open
    /// file 'PATH': REASON" when it cannot be opened; "Failed to read file 'PATH': Is a directory" for a folder;
    /// "Failed to read file 'PATH': Value too large for defined data type" for a file over <see cref="MaxBytes"/>
    /// or a device (which virsh reads until it is over); "Failed to read file 'PATH': not a regular file" for a FIFO
    /// or socket (where virsh would wait for a writer).</exception>
    public static byte[] ReadBytes(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        BoundedReadResult read;
        try
        {
            read = BoundedFile.Read(path, MaxBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            string reason = ex switch
            {
                UnauthorizedAccessException => "Permission denied",
                FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
                _ => ex.Message,
            };
            throw new VirtException(VirtErrorCode.SystemError, $"Failed to open file '{path}': {reason}", ex);
        }

        if (read.Bytes is { } bytes)
        {
            return bytes;
        }

        string refusal = read.Kind switch
        {
            HostFileKind.Directory => "Is a directory",
            HostFileKind.Fifo or HostFileKind.Socket => "not a regular file",
            _ => "Value too large for defined data type",
        };
        throw new VirtException(VirtErrorCode.SystemError, $"Failed to read file '{path}': {refusal}");
    }

    /// <summary>Decodes a document's bytes strictly as UTF-8, as libvirt does whatever the XML declaration says
    /// (a UTF-8 byte order mark is dropped).</summary>
    /// <param name="bytes">The document.</param>
    /// <param name="documentName">libvirt's name for it in messages: <c>domain_definition</c>, <c>domain_snapshot</c>.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.XmlError"/> with libxml2's "(NAME):LINE: Input is
    /// not proper UTF-8, indicate encoding !", the bytes at fault, the line and a pointer to them.</exception>
    public static string DecodeUtf8(byte[] bytes, string documentName)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(documentName);
        return Utf8Xml.Decode(bytes, documentName);
    }
}
