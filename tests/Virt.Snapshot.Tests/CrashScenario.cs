using System.Diagnostics;
using System.Globalization;
using Virt.Snapshot.Store;
using static Virt.Snapshot.Tests.TreeBuilder;

namespace Virt.Snapshot.Tests;

/// <summary>
/// A sequence of store-backed tree operations that the crash test runs in a child process, which kills itself
/// (SIGKILL) just before write step N. Every file operation is several steps (write, fsync, rename, fsync-dir;
/// unlink, fsync-dir).
/// </summary>
internal static class CrashScenario
{
    public const string DirVariable = "VIRT_SNAPSHOT_CRASH_DIR";
    public const string StepVariable = "VIRT_SNAPSHOT_CRASH_STEP";

    /// <summary>The store before the scenario: a ── b ── c (current), d.</summary>
    public static void Seed(string dir)
    {
        using var store = new SnapshotMetadataStore(dir, new AtomicFile(durable: false));
        var tree = new SnapshotTree();
        tree.Add(Def("a"), false, store);
        tree.Add(Def("b", "a"), false, store);
        tree.Add(Def("c", "b"), true, store);
        tree.Add(Def("d"), false, store);
    }

    public static void Run(string dir, Action<string> step)
    {
        using var store = new SnapshotMetadataStore(dir, new AtomicFile(durable: true, step));
        var loaded = store.Load();
        if (loaded.Diagnostics.Count != 0)
        {
            throw new InvalidOperationException("seed store has problems: " + string.Join("; ", loaded.Diagnostics));
        }

        var tree = loaded.Tree;
        tree.Add(Def("n", "c"), true, store);
        tree.Redefine(Def("b", "a") with { Description = "v2" }, SnapshotCreateFlags.None, store);
        tree.Delete("b", SnapshotDeleteFlags.None, store);
        tree.Delete("a", SnapshotDeleteFlags.Children, store);
        tree.Add(Def("z"), true, store);
        tree.Delete("d", SnapshotDeleteFlags.None, store);
    }

    public static int RunAsChild()
    {
        string? dir = Environment.GetEnvironmentVariable(DirVariable);
        if (dir is null)
        {
            Console.Error.WriteLine("This is a test assembly; run it with dotnet test.");
            return 2;
        }

        int crashAt = int.Parse(Environment.GetEnvironmentVariable(StepVariable) ?? "0", CultureInfo.InvariantCulture);
        int steps = 0;
        Run(dir, _ =>
        {
            if (++steps == crashAt)
            {
                Process.GetCurrentProcess().Kill();
            }
        });
        Console.WriteLine(steps.ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    /// <summary>What a store holds, as text: tree shape, descriptions, and problems.</summary>
    public static string Describe(SnapshotStoreLoadResult result) =>
        Shape(result.Tree) + " | " + string.Join(",", result.Tree.List().Select(d => d.Name + "=" + (d.Description ?? "")))
        + (result.Diagnostics.Count == 0 ? "" : " | problems: " + string.Join("; ", result.Diagnostics));
}
