using Virt.Conf;

namespace Virt.Snapshot.Rules;

/// <summary>
/// libvirt's <c>virDomainSnapshotDefAssignExternalNames</c>: an external disk snapshot without a file gets one next
/// to the disk's current file, <c>&lt;path without its suffix&gt;.&lt;snapshot name&gt;</c>
/// (<c>/i/vm.qcow2</c> → <c>/i/vm.snap1</c>).
/// </summary>
internal static class SnapshotExternalNames
{
    /// <summary>Fills in the file of every external disk that has none, in place.</summary>
    /// <param name="snapshotName">The snapshot's name.</param>
    /// <param name="aligned">The snapshot's disks, aligned with <paramref name="domainDisks"/> (same order).</param>
    /// <param name="domainDisks">The domain's disks.</param>
    /// <param name="isRegularFile">Whether a path is a regular file, as <c>stat(2)</c> tells (the driver asks its host;
    /// Virt.Snapshot does no native I/O).</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.ConfigUnsupported"/> with libvirt's message for a
    /// non-file snapshot target, a disk without source, a source that is not a regular file, or two disks that would
    /// get the same name.</exception>
    public static void Assign(string snapshotName, List<SnapshotDiskDefinition> aligned, IReadOnlyList<DomainDisk> domainDisks, Func<string, bool> isRegularFile)
    {
        ArgumentNullException.ThrowIfNull(snapshotName);
        ArgumentNullException.ThrowIfNull(isRegularFile);
        for (int i = 0; i < aligned.Count; i++)
        {
            var disk = aligned[i];
            if (disk.Snapshot != SnapshotLocation.External || disk.SourcePath is not null)
            {
                continue;
            }

            string type = disk.SourceType ?? "file";
            if (type != "file")
            {
                throw Unsupported($"cannot generate external snapshot name for disk '{disk.Name}' on a '{type}' device");
            }

            string origin = domainDisks[i].Source
                ?? throw Unsupported($"cannot generate external snapshot name for disk '{disk.Name}' without source");
            if (!isRegularFile(origin))
            {
                throw Unsupported($"source for disk '{disk.Name}' is not a regular file; refusing to generate external snapshot name");
            }

            string path = WithoutSuffix(origin) + "." + snapshotName;
            for (int j = 0; j < i; j++)
            {
                if (aligned[j].SourcePath == path)
                {
                    throw Unsupported($"cannot generate external snapshot name for disk '{disk.Name}': collision with disk '{aligned[j].Name}'");
                }
            }

            aligned[i] = disk with { SourcePath = path, SourceType = "file" };
        }
    }

    /// <summary>The path without the suffix of its file name (the last dot after the last slash).</summary>
    internal static string WithoutSuffix(string path)
    {
        int dot = path.LastIndexOf('.');
        return dot >= 0 && path.IndexOf('/', dot) < 0 ? path[..dot] : path;
    }

    private static VirtException Unsupported(string message) => new(VirtErrorCode.ConfigUnsupported, message);
}
