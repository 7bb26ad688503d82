using System.Runtime.CompilerServices;

// The QMP benchmarks (tests/Virt.Benchmarks/Qmp) measure the internal client directly.
[assembly: InternalsVisibleTo("Virt.Benchmarks")]
