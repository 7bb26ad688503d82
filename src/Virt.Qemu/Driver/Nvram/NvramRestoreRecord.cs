using System.Xml.Linq;
using Virt.Qemu.Driver.Snapshots;

namespace Virt.Qemu.Driver.Nvram;

/// <summary>
/// An external revert's NVRAM restore in progress (<c>snapshots/.nvram-restore</c>, written atomically before the
/// domain's NVRAM is touched, removed once the restore is committed or undone). A managing process killed in between
/// leaves it, so the next job on the domain can tell which way the revert went and make the NVRAM match the disks the
/// definition names: the snapshot's NVRAM with the reverted definition, the old contents with the old one.
/// </summary>
/// <param name="Nvram">The domain's NVRAM file.</param>
/// <param name="Backup">Where its old contents are kept, or null when it had none.</param>
/// <param name="Definition">The persistent definition the revert writes, or null when it writes none (a transient
/// domain: the revert went forward once a QEMU runs for it).</param>
internal sealed record NvramRestoreRecord(string Nvram, string? Backup, string? Definition)
{
    private const string FileName = ".nvram-restore";

    /// <summary>Records the restore.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.WriteFailed"/> when it cannot be written.</exception>
    public void Write(string snapshotFolder)
    {
        var root = new XElement("nvramRestore", new XAttribute("nvram", Nvram),
            Backup is null ? null : new XAttribute("backup", Backup),
            Definition is null ? null : new XElement("definition", Definition));
        SnapshotFolderRecord.Write(snapshotFolder, FileName, root, "the NVRAM restore");
    }

    /// <summary>The restore an interrupted revert left, or null.</summary>
    public static NvramRestoreRecord? Read(string snapshotFolder) =>
        SnapshotFolderRecord.Read(snapshotFolder, FileName) is { } root && (string?)root.Attribute("nvram") is { } nvram
            ? new NvramRestoreRecord(nvram, (string?)root.Attribute("backup"), (string?)root.Element("definition"))
            : null;

    /// <summary>The restore was committed or undone: the record goes.</summary>
    public static void End(string snapshotFolder) => SnapshotFolderRecord.End(snapshotFolder, FileName);
}
