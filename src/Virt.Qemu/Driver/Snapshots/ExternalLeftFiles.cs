using Virt.Conf;
using Virt.Snapshot;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>
/// The files a revert leaves behind, found before it changes anything: the backing chains of the live and persistent
/// definitions, every snapshot's overlay and every overlay Virt made for the domain (<see cref="ExternalMadeFiles"/>).
/// After the revert, a file of a chain is deleted when nothing references it and a file below it in the chain is still
/// referenced (it was a layer on top of something kept: the state left, as seed 001 says); a snapshot's overlay or a
/// file Virt made that nothing references is deleted too (also one a stream made standalone). A chain none of whose
/// files is referenced any more and that Virt did not make (a disk the user brought and the snapshot's definition
/// lacks) is never touched.
/// </summary>
internal sealed class ExternalLeftFiles
{
    private readonly HashSet<string> _made = new(StringComparer.Ordinal);
    private readonly List<IReadOnlyList<string>> _chains = [];

    /// <summary>Collects the files of <paramref name="definitions"/> and <paramref name="tree"/>, and <paramref name="made"/>.</summary>
    public ExternalLeftFiles(IEnumerable<DomainDefinition?> definitions, SnapshotTree tree, IEnumerable<string> made)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(made);
        foreach (string file in made.Where(File.Exists))
        {
            _made.Add(ExternalReferences.Canonical(file));
        }

        foreach (var snapshot in tree.List())
        {
            foreach (var disk in snapshot.Disks.Where(d => d.Snapshot == SnapshotLocation.External && d.SourcePath is not null))
            {
                _made.Add(ExternalReferences.Canonical(disk.SourcePath!));
            }
        }

        foreach (var def in definitions)
        {
            foreach (var disk in def?.Devices.Disks ?? [])
            {
                if (disk.Source is { } source && disk.DriverType == "qcow2")
                {
                    _chains.Add(ExternalReferences.ChainOf(source, "qcow2"));
                }
            }
        }
    }

    /// <summary>Every file that may go (for <see cref="ExternalPending"/>): the snapshots' overlays, the files Virt made
    /// and every layer of a chain above its base.</summary>
    public IEnumerable<string> Listed => _made.Concat(_chains.SelectMany(c => c.Take(c.Count - 1))).Distinct(StringComparer.Ordinal);

    /// <summary>The files to delete once <paramref name="references"/> describe the state reverted to.</summary>
    public IReadOnlyList<string> Unreferenced(ExternalReferences references)
    {
        ArgumentNullException.ThrowIfNull(references);
        var candidates = new List<string>(_made);
        foreach (var chain in _chains)
        {
            int kept = chain.ToList().FindIndex(references.Contains);
            if (kept > 0)
            {
                candidates.AddRange(chain.Take(kept));
            }
        }

        return references.Unreferenced(candidates);
    }
}
