using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Virt.Qemu.Qmp;

namespace Virt.Benchmarks.Qmp;

/// <summary>In-process, short runs: every benchmark here shares the one QEMU of <see cref="BenchQemu"/>.</summary>
public sealed class QmpBenchConfig : ManualConfig
{
    public QmpBenchConfig()
    {
        AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("short-inprocess"));
        AddColumn(StatisticColumn.OperationsPerSecond);
    }
}

/// <summary>query-status round trips, one caller: the client against a raw-socket loop on the same QEMU (Ratio column).</summary>
[Config(typeof(QmpBenchConfig))]
[MemoryDiagnoser]
public class QmpRoundTripBenchmarks
{
    private RawQmpLoop _raw = null!;
    private QmpClient _client = null!;

    [GlobalSetup]
    public void Setup()
    {
        _raw = new RawQmpLoop(BenchQemu.Instance.RawSocket);
        _client = QmpClient.Connect(BenchQemu.Instance.ClientSocket);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Dispose();
        _client.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw socket loop")]
    public int RawSocket() => _raw.RoundTrip();

    [Benchmark(Description = "QmpClient.QueryStatus")]
    public bool Client() => _client.QueryStatus().Running;
}

/// <summary>Client throughput with 1, 4 and 16 threads calling query-status at once (Op/s counts round trips).</summary>
[Config(typeof(QmpBenchConfig))]
public class QmpConcurrencyBenchmarks
{
    private const int CallsPerCaller = 200;

    private QmpClient _client = null!;
    private Thread[] _threads = [];
    private Barrier _start = null!;
    private Barrier _done = null!;
    private volatile bool _stopping;

    [Params(1, 4, 16)]
    public int Callers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _client = QmpClient.Connect(BenchQemu.Instance.ClientSocket);
        _start = new Barrier(Callers + 1);
        _done = new Barrier(Callers + 1);
        _threads = Enumerable.Range(0, Callers).Select(_ => new Thread(Caller) { IsBackground = true }).ToArray();
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stopping = true;
        _start.SignalAndWait();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _client.Dispose();
        _start.Dispose();
        _done.Dispose();
    }

    [Benchmark(OperationsPerInvoke = 16 * CallsPerCaller, Description = "QmpClient.QueryStatus, N callers")]
    public void ConcurrentQueryStatus()
    {
        // Each caller makes 16/Callers * CallsPerCaller calls, so every invocation does the same total work.
        _start.SignalAndWait();
        _done.SignalAndWait();
    }

    private void Caller()
    {
        while (true)
        {
            _start.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            int calls = 16 / Callers * CallsPerCaller;
            for (int i = 0; i < calls; i++)
            {
                _client.QueryStatus();
            }

            _done.SignalAndWait();
        }
    }
}
