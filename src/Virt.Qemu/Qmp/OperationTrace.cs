using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Virt.Qemu.Qmp;

/// <summary>
/// A Stopwatch breakdown of one operation on the calling thread, for finding where its time goes: off unless the
/// environment variable <c>VIRT_TRACE_STEPS</c> is <c>1</c> when the process starts. <see cref="Begin"/> starts a
/// trace, <see cref="Mark"/> closes the step that ran since the last mark, <see cref="End"/> writes each step's
/// milliseconds and share of the whole to standard error.
/// </summary>
internal static class OperationTrace
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("VIRT_TRACE_STEPS") == "1";

    [ThreadStatic]
    private static List<(string Step, long At)>? _marks;

    public static void Begin(string operation)
    {
        if (Enabled)
        {
            _marks = [(operation, Stopwatch.GetTimestamp())];
        }
    }

    public static void Mark(string step)
    {
        if (Enabled)
        {
            _marks?.Add((step, Stopwatch.GetTimestamp()));
        }
    }

    public static void End()
    {
        if (!Enabled || _marks is not { Count: > 0 } marks)
        {
            return;
        }

        _marks = null;
        var total = Stopwatch.GetElapsedTime(marks[0].At, marks[^1].At).TotalMilliseconds;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"trace {marks[0].Step} {total:0.000} ms:");
        for (int i = 1; i < marks.Count; i++)
        {
            double ms = Stopwatch.GetElapsedTime(marks[i - 1].At, marks[i].At).TotalMilliseconds;
            text.Append(CultureInfo.InvariantCulture, $" {marks[i].Step}={ms:0.000}");
        }

        Console.Error.WriteLine(text.ToString());
    }
}
