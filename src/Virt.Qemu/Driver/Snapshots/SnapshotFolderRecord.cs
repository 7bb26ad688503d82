using System.Xml.Linq;
using Virt.IO;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>
/// A small XML record of an operation in progress, kept in a domain's snapshot folder under a hidden name: written
/// atomically (so never torn) before the operation changes anything, removed when it finished or undid itself, and
/// found by the next job when the process died in between (<see cref="ExternalIntent"/>, <c>NvramRestoreRecord</c>).
/// </summary>
internal static class SnapshotFolderRecord
{
    /// <summary>Writes <paramref name="record"/> as <paramref name="fileName"/> in <paramref name="snapshotFolder"/>.</summary>
    /// <param name="snapshotFolder">The domain's snapshot folder.</param>
    /// <param name="fileName">The record's hidden file name.</param>
    /// <param name="record">The record.</param>
    /// <param name="what">What the record is, for the error: "cannot record WHAT in FOLDER".</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.WriteFailed"/> when it cannot be written.</exception>
    public static void Write(string snapshotFolder, string fileName, XElement record, string what)
    {
        try
        {
            PrivateDirectory.Create(snapshotFolder);
            _ = new AtomicFile().Write(Path.Combine(snapshotFolder, fileName), record.ToString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VirtException(VirtErrorCode.WriteFailed, $"cannot record {what} in '{snapshotFolder}': {e.Message}", e);
        }
    }

    /// <summary>The record left as <paramref name="fileName"/>, or null when there is none (or the file is not XML,
    /// which an atomic write never leaves: then it is no record).</summary>
    public static XElement? Read(string snapshotFolder, string fileName)
    {
        string file = Path.Combine(snapshotFolder, fileName);
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            return XElement.Parse(File.ReadAllText(file));
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    /// <summary>The operation finished or undid itself: the record goes.</summary>
    public static void End(string snapshotFolder, string fileName) => _ = new AtomicFile().Delete(Path.Combine(snapshotFolder, fileName));
}
