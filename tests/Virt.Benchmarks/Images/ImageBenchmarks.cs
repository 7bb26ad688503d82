using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Virt.Qemu.Images;

namespace Virt.Benchmarks.Images;

/// <summary>
/// Native image code side by side with qemu-img as a process: reading a 10-deep backing chain, and
/// creating an overlay. Ratios are per category against the native baseline.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MemoryDiagnoser]
public class ImageBenchmarks
{
    private const int Depth = 10;
    private string _dir = "";
    private string _top = "";
    private string _base = "";

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("virt-bench-img-").FullName;
        _base = Path.Combine(_dir, "c0.qcow2");
        QemuImage.Create(_base, 1L << 30);
        string previous = "c0.qcow2";
        for (int i = 1; i < Depth; i++)
        {
            string name = $"c{i}.qcow2";
            QemuImage.CreateOverlay(Path.Combine(_dir, name), previous, "qcow2");
            previous = name;
        }

        _top = Path.Combine(_dir, previous);
        if (QemuImage.GetBackingChain(_top).Count != Depth)
        {
            throw new InvalidOperationException("chain setup failed");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark(Baseline = true, Description = "native GetBackingChain (10 deep)")]
    [BenchmarkCategory("chain-info")]
    public int ChainInfoNative() => QemuImage.GetBackingChain(_top).Count;

    [Benchmark(Description = "qemu-img info --backing-chain --output=json")]
    [BenchmarkCategory("chain-info")]
    public int ChainInfoQemuImg() => RunQemuImg("info", "--backing-chain", "--output=json", _top);

    [Benchmark(Baseline = true, Description = "native CreateOverlay (atomic, fsync)")]
    [BenchmarkCategory("create-overlay")]
    public long CreateOverlayNative() =>
        QemuImage.CreateOverlay(Path.Combine(_dir, "native-overlay.qcow2"), "c0.qcow2", "qcow2", new ImageCreateOptions { Overwrite = true }).VirtualSize;

    [Benchmark(Description = "qemu-img create -f qcow2 -b -F")]
    [BenchmarkCategory("create-overlay")]
    public int CreateOverlayQemuImg() =>
        RunQemuImg("create", "-q", "-f", "qcow2", "-b", "c0.qcow2", "-F", "qcow2", Path.Combine(_dir, "tool-overlay.qcow2"));

    private static int RunQemuImg(params string[] args)
    {
        var psi = new ProcessStartInfo("qemu-img") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException("qemu-img failed");
        }

        return output.Length;
    }
}
