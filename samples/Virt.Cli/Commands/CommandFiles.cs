namespace Virt.Cli.Commands;

/// <summary>Reads files named on the command line, with libvirt's error wording.</summary>
internal static class CommandFiles
{
    /// <summary>Largest XML file virsh reads (<c>VSH_MAX_XML_FILE</c>, 10 MiB).</summary>
    public const int MaxXmlFile = 10 * 1024 * 1024;

    /// <summary>Reads a whole text file.</summary>
    /// <param name="context">The shell, to report failures.</param>
    /// <param name="path">The file.</param>
    /// <returns>The text.</returns>
    /// <exception cref="CommandFailedException">It could not be read; the reason was printed.</exception>
    public static string ReadXml(CommandContext context, string path)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (Directory.Exists(path))
            {
                context.Error($"Failed to read file '{path}': Is a directory");
            }
            else
            {
                context.Error($"Failed to open file '{path}': {Reason(e)}");
            }

            throw new CommandFailedException();
        }

        using (stream)
        {
            if (stream.Length > MaxXmlFile)
            {
                // libvirt's virFileReadAll fails with EOVERFLOW past the limit.
                context.Error($"Failed to read file '{path}': Value too large for defined data type");
                throw new CommandFailedException();
            }

            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    private static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
        UnauthorizedAccessException => "Permission denied",
        _ => e.Message,
    };
}
