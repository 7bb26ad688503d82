using Virt.Conf;
using Virt.Qemu.Driver.Snapshots;
using Virt.Qemu.Driver.State;
using Virt.Qemu.Images;
using Virt.Snapshot;

namespace Virt.Qemu.Tests.Snapshots.External;

/// <summary>
/// The leak and loss check the external-snapshot tests run after every operation: the domain's references
/// (<see cref="ExternalReferences"/>, from what the API reports: live and persistent definitions and every snapshot's
/// XML) are complete; every file left in the image folders is referenced (nothing leaked); every referenced file exists
/// (nothing needed was deleted); <c>qemu-img check</c> is clean on every referenced qcow2 image; every NVRAM copy in the
/// domain's snapshot folder belongs to a snapshot.
/// </summary>
internal static class ExternalFileCheck
{
    /// <summary>Asserts the check on <paramref name="domain"/> of the <c>qemu:///embed</c> connection at <paramref name="root"/>.</summary>
    /// <param name="domain">The domain (it must exist).</param>
    /// <param name="root">The embed root (where the snapshot folder is).</param>
    /// <param name="imageFolders">The folders holding the domain's images, overlays and memory files (and nothing else).</param>
    /// <returns>The references, for further assertions.</returns>
    public static ExternalReferences Verify(IVirtDomain domain, string root, params string[] imageFolders) => Verify(domain, root, allowLeakedClusters: false, imageFolders);

    /// <summary>As <see cref="Verify(IVirtDomain, string, string[])"/>; with <paramref name="allowLeakedClusters"/>,
    /// <c>qemu-img check</c>'s exit code 3 (leaked clusters, no harm to data: what a QEMU killed mid-write leaves) is accepted.</summary>
    public static ExternalReferences Verify(IVirtDomain domain, string root, bool allowLeakedClusters, params string[] imageFolders)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var definitions = new List<DomainDefinition?>
        {
            domain.IsActive ? DomainDefinition.Parse(domain.GetXmlDescription()) : null,
            domain.IsPersistent ? DomainDefinition.Parse(domain.GetXmlDescription(DomainXmlFlags.Inactive)) : null,
        };
        var snapshots = domain.ListSnapshots().Select(s => SnapshotDefinition.Parse(s.GetXmlDescription(), SnapshotParseFlags.Redefine)).ToList();
        var state = StateRoot.Embed(root);
        var refs = ExternalReferences.Of(definitions, snapshots, name => state.SnapshotNvramFile(domain.Name, name));
        Assert.That(refs.Problems, Is.Empty, "every backing chain of the domain and its snapshots can be followed");

        var leaked = imageFolders.SelectMany(f => Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories)).Where(f => !refs.Contains(f)).ToList();
        var missing = refs.Files.Where(f => !File.Exists(f)).ToList();
        string snapshotFolder = state.SnapshotFolder(domain.Name);
        var strayCopies = Directory.Exists(snapshotFolder)
            ? Directory.EnumerateFiles(snapshotFolder, "*.nvram").Where(f => !snapshots.Any(s => state.SnapshotNvramFile(domain.Name, s.Name!) == f)).ToList()
            : [];
        Assert.Multiple(() =>
        {
            Assert.That(leaked, Is.Empty, "files nothing references (leaked)");
            Assert.That(missing, Is.Empty, "referenced files that are gone");
            Assert.That(strayCopies, Is.Empty, "NVRAM copies of no snapshot");
        });

        foreach (string file in refs.Files.Where(f => File.Exists(f) && IsQcow2(f)))
        {
            var (code, output) = SnapshotTest.Run("qemu-img", "check", "-U", "-f", "qcow2", file);
            Assert.That(code, allowLeakedClusters ? Is.EqualTo(0).Or.EqualTo(3) : Is.EqualTo(0), file + ": " + output);
        }

        return refs;
    }

    private static bool IsQcow2(string file)
    {
        try
        {
            return QemuImage.GetInfo(file).Format == "qcow2";
        }
        catch (VirtException)
        {
            return false;
        }
    }

}
