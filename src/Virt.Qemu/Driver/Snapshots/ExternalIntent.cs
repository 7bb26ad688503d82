using System.Xml.Linq;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>
/// What a running domain's external create is about to do, written durably (<c>snapshots/.external-intent</c>,
/// atomic) before its <c>transaction</c> and removed once the status, the persistent definition and the metadata name
/// the overlays (or once the create undid itself). A process killed in between leaves it, so the next job on the domain
/// can ask QEMU which files it runs on and finish the create or drop it.
/// </summary>
/// <param name="Overlays">The overlays the transaction puts on top of the disks.</param>
/// <param name="SnapshotXml">The snapshot's metadata to record, or null (NO_METADATA).</param>
/// <param name="Resume">Whether the create paused a running guest and resumes it at the end.</param>
internal sealed record ExternalIntent(IReadOnlyList<ExternalOverlay> Overlays, string? SnapshotXml, bool Resume)
{
    private const string FileName = ".external-intent";

    /// <summary>Records the intent.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.WriteFailed"/> when it cannot be written.</exception>
    public void Write(string snapshotFolder)
    {
        var root = new XElement("externalIntent", new XAttribute("resume", Resume ? "yes" : "no"),
            Overlays.Select(o => new XElement("overlay", new XAttribute("target", o.Target), new XAttribute("backing", o.Backing),
                new XAttribute("backingFormat", o.BackingFormat), new XAttribute("path", o.Path), new XAttribute("reused", o.Reused ? "yes" : "no"))),
            SnapshotXml is null ? null : new XElement("snapshot", SnapshotXml));
        SnapshotFolderRecord.Write(snapshotFolder, FileName, root, "the snapshot about to be taken");
    }

    /// <summary>The intent a create left, or null.</summary>
    public static ExternalIntent? Read(string snapshotFolder)
    {
        if (SnapshotFolderRecord.Read(snapshotFolder, FileName) is not { } root)
        {
            return null;
        }

        var overlays = root.Elements("overlay").Select(o => new ExternalOverlay((string)o.Attribute("target")!, (string)o.Attribute("backing")!,
            (string)o.Attribute("backingFormat")!, (string)o.Attribute("path")!, (string?)o.Attribute("reused") == "yes")).ToList();
        return new ExternalIntent(overlays, (string?)root.Element("snapshot"), (string?)root.Attribute("resume") == "yes");
    }

    /// <summary>The create finished or undid itself: the intent goes.</summary>
    public static void End(string snapshotFolder) => SnapshotFolderRecord.End(snapshotFolder, FileName);
}
