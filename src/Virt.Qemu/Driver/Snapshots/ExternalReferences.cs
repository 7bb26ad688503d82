using Virt.Conf;
using Virt.IO;
using Virt.Qemu.Images;
using Virt.Snapshot;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>
/// The files a domain and its snapshots still need (the external-snapshot design in Driver/README.md): the backing
/// chain of every disk source of the live definition, of the persistent definition and of every snapshot's embedded
/// definitions (their point-in-time files); the NVRAM, kernel and initrd those definitions name; every snapshot's
/// memory file and NVRAM copy. A snapshot's overlay (its disk <c>&lt;source&gt;</c>) is needed only while it is in one
/// of those chains, so it adds nothing by itself. Paths are compared canonical (symbolic links resolved).
/// When a chain cannot be followed (a file is missing or unreadable) the files below it are unknown:
/// <see cref="IsComplete"/> is false and <see cref="Unreferenced"/> then names nothing, so nothing is ever deleted
/// on a guess.
/// </summary>
internal sealed class ExternalReferences
{
    private readonly HashSet<string> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _backing = new(StringComparer.Ordinal);
    private readonly List<string> _problems = [];

    private ExternalReferences()
    {
    }

    /// <summary>Every referenced file, canonical.</summary>
    public IReadOnlySet<string> Files => _files;

    /// <summary>Whether every chain could be followed to its base.</summary>
    public bool IsComplete => _problems.Count == 0;

    /// <summary>Why a chain could not be followed (empty when <see cref="IsComplete"/>).</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Computes the references of a domain.</summary>
    /// <param name="definitions">The live definition of a running domain and the persistent definition, whichever exist.</param>
    /// <param name="snapshots">Every snapshot of the domain's tree.</param>
    /// <param name="nvramCopyOf">The NVRAM copy path of a snapshot name (<c>StateRoot.SnapshotNvramFile</c>), or null
    /// when copies are not counted.</param>
    public static ExternalReferences Of(IEnumerable<DomainDefinition?> definitions, IEnumerable<SnapshotDefinition> snapshots, Func<string, string>? nvramCopyOf)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(snapshots);
        var refs = new ExternalReferences();
        foreach (var def in definitions)
        {
            if (def is not null)
            {
                refs.AddDefinition(def);
            }
        }

        foreach (var snapshot in snapshots)
        {
            foreach (string? xml in new[] { snapshot.DomainXml, snapshot.InactiveDomainXml })
            {
                if (xml is not null)
                {
                    refs.AddDefinition(DomainDefinition.Parse(xml));
                }
            }

            if (snapshot.Memory == SnapshotLocation.External && snapshot.MemoryFile is { } memory)
            {
                refs._files.Add(Canonical(memory));
            }

            if (nvramCopyOf is not null && snapshot.Name is { } name && File.Exists(nvramCopyOf(name)))
            {
                refs._files.Add(Canonical(nvramCopyOf(name)));
            }
        }

        return refs;
    }

    /// <summary>Whether <paramref name="path"/> is referenced.</summary>
    public bool Contains(string path) => _files.Contains(Canonical(path));

    /// <summary>The backing file of a referenced image (canonical), or null for a base image or a file not in any chain.</summary>
    public string? BackingOf(string path) => _backing.GetValueOrDefault(Canonical(path));

    /// <summary>The referenced images whose backing file is <paramref name="path"/>: the layers directly above it.</summary>
    public IReadOnlyList<string> LayersAbove(string path)
    {
        string file = Canonical(path);
        return [.. _backing.Where(b => b.Value == file).Select(b => b.Key).Order(StringComparer.Ordinal)];
    }

    /// <summary>The files of <paramref name="candidates"/> (for example the chain a revert leaves) that exist and are not
    /// referenced, canonical and without repeats; empty when the references are not complete.</summary>
    public IReadOnlyList<string> Unreferenced(IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (!IsComplete)
        {
            return [];
        }

        var result = new List<string>();
        foreach (string candidate in candidates)
        {
            string file = Canonical(candidate);
            if (!_files.Contains(file) && !result.Contains(file) && File.Exists(file))
            {
                result.Add(file);
            }
        }

        return result;
    }

    /// <summary>The files of a disk's backing chain, top first, canonical; the files that could be read when the chain
    /// breaks (a missing or unreadable file).</summary>
    /// <param name="path">The top image.</param>
    /// <param name="format">Its format (the disk's driver type), or null to detect it.</param>
    public static IReadOnlyList<string> ChainOf(string path, string? format)
    {
        var refs = new ExternalReferences();
        return refs.AddChain(path, format);
    }

    /// <summary>A path as the references compare it: absolute, symbolic links resolved when the file exists.</summary>
    public static string Canonical(string path) => NativeMethods.CanonicalPath(path) ?? Path.GetFullPath(path);

    private void AddDefinition(DomainDefinition def)
    {
        foreach (var disk in def.Devices.Disks)
        {
            if (disk.Source is { } source && disk.Type is "file" or "block")
            {
                AddChain(source, disk.DriverType);
            }
        }

        foreach (string? file in new[] { def.Os.Nvram?.Path, def.Os.Kernel, def.Os.Initrd })
        {
            if (file is not null)
            {
                _files.Add(Canonical(file));
            }
        }
    }

    private List<string> AddChain(string path, string? format)
    {
        var added = new List<string>();
        string top = Canonical(path);
        _files.Add(top);
        added.Add(top);
        if (format is not (null or "qcow2"))
        {
            return added;
        }

        try
        {
            var chain = QemuImage.GetBackingChain(path, format);
            string? above = top;
            for (int i = 1; i < chain.Count; i++)
            {
                string file = Canonical(chain[i].Filename);
                _files.Add(file);
                added.Add(file);
                _backing[above] = file;
                above = file;
            }
        }
        catch (VirtException e)
        {
            _problems.Add(e.Message);
        }

        return added;
    }
}
