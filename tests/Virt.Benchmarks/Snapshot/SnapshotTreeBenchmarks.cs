using BenchmarkDotNet.Attributes;
using Virt.Snapshot;

namespace Virt.Benchmarks.Snapshot;

/// <summary>
/// Snapshot tree at 1k/10k/100k snapshots, shaped as a comb: a spine (chain) of N/2 snapshots, each with one extra
/// leaf child, so the tree is both N/2 deep and has N/2 leaves. Every operation should grow linearly
/// (or n log n): compare the 10x steps.
/// Run: dotnet run -c Release --project tests/Virt.Benchmarks -- --filter '*SnapshotTree*' --job short
/// </summary>
[MemoryDiagnoser]
public class SnapshotTreeBenchmarks
{
    private static readonly SnapshotListFlags[] Filters =
    [
        SnapshotListFlags.None, SnapshotListFlags.Roots, SnapshotListFlags.Topological, SnapshotListFlags.Leaves,
        SnapshotListFlags.NoLeaves, SnapshotListFlags.Metadata, SnapshotListFlags.NoMetadata, SnapshotListFlags.Active,
        SnapshotListFlags.Inactive, SnapshotListFlags.DiskOnly, SnapshotListFlags.Internal, SnapshotListFlags.External,
        SnapshotListFlags.Leaves | SnapshotListFlags.Internal | SnapshotListFlags.Active | SnapshotListFlags.Topological,
    ];

    private SnapshotDefinition[] _definitions = [];
    private SnapshotTree _tree = new();
    private string _folder = "";

    /// <summary>Number of snapshots.</summary>
    [Params(1_000, 10_000, 100_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var template = new SnapshotDefinition
        {
            State = SnapshotState.Running,
            CreationTime = 1_700_000_000,
            Memory = SnapshotLocation.Internal,
            Disks = [new SnapshotDiskDefinition { Name = "vda", Snapshot = SnapshotLocation.Internal }],
            DomainXml = "<domain type='kvm'>\n  <name>vm</name>\n  <memory unit='KiB'>1048576</memory>\n</domain>\n",
        };
        _definitions = new SnapshotDefinition[N];
        for (int i = 0; i < N; i++)
        {
            // Even i: spine s{i/2} under the previous spine node; odd i: leaf l{i/2} under spine s{i/2}.
            _definitions[i] = i % 2 == 0
                ? template with { Name = "s" + (i / 2), ParentName = i == 0 ? null : "s" + ((i / 2) - 1), CreationTime = 1_700_000_000 + i }
                : template with { Name = "l" + (i / 2), ParentName = "s" + (i / 2), CreationTime = 1_700_000_000 + i };
        }

        _tree = Build();
        _folder = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "virt-bench-snapshots-" + N);
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, true);
        }

        Directory.CreateDirectory(_folder);
        foreach (var def in _definitions)
        {
            File.WriteAllText(Path.Combine(_folder, def.Name + ".xml"), def.ToXml());
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, true);

    [Benchmark]
    public SnapshotTree Create() => Build();

    [Benchmark]
    public int ListWithEveryFilter()
    {
        int total = 0;
        foreach (var flags in Filters)
        {
            total += _tree.List(flags).Count;
        }

        return total;
    }

    [Benchmark]
    public int DescendantsOfRoot() => _tree.ListChildren("s0", SnapshotListFlags.Descendants).Count;

    [IterationSetup(Target = nameof(DeleteHalfSubtree))]
    public void RebuildForDelete() => _tree = Build();

    /// <summary>Deletes the subtree under spine node N/4: N/2 snapshots.</summary>
    [Benchmark]
    public int DeleteHalfSubtree()
    {
        _tree.Delete("s" + (N / 4), SnapshotDeleteFlags.Children);
        return _tree.Count;
    }

    [Benchmark]
    public int LoadFromDisk()
    {
        // One store owns a folder at a time: release it for the next iteration.
        using var store = new SnapshotMetadataStore(_folder);
        return store.Load().Tree.Count;
    }

    private SnapshotTree Build()
    {
        var tree = new SnapshotTree();
        foreach (var def in _definitions)
        {
            tree.Add(def, makeCurrent: false);
        }

        return tree;
    }
}
