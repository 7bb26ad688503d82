using Virt.IO;

namespace Virt.Cli.Commands;

/// <summary>Reads files named on the command line, with libvirt's error wording.</summary>
internal static class CommandFiles
{
    /// <summary>Reads a whole XML file (at most 10 MiB, never blocking on a FIFO or reading a device without end).
    /// The bytes are decoded with <see cref="XmlFile.DecodeUtf8"/> where the library call is made, since virsh reports
    /// bad UTF-8 as that call's failure.</summary>
    /// <param name="context">The shell, to report failures.</param>
    /// <param name="path">The file.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="CommandFailedException">It could not be read; the reason was printed.</exception>
    public static byte[] ReadXml(CommandContext context, string path)
    {
        try
        {
            return XmlFile.ReadBytes(path);
        }
        catch (VirtException e)
        {
            context.Error(e.Message);
            throw new CommandFailedException();
        }
    }
}
