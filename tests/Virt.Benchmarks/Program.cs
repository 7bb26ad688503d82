using BenchmarkDotNet.Running;

if (args is ["remote-roundtrips", var host, var port, var calls])
{
    // scripts/bench-remote.sh: a timed loop beside virsh processes, not a BenchmarkDotNet run.
    Virt.Benchmarks.Remote.RemoteRoundTrips.Run(host, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture), int.Parse(calls, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
