using Virt.Cli.Commands;

namespace Virt.Cli.Tests;

/// <summary>snapshot-list's name order and tree printer, beyond what the golden cases (captured from virsh) cover.</summary>
public sealed class SnapshotListOrderTests
{
    [Test]
    public void NamesSortByUtf8BytesWithOnlyAsciiLettersFoldedAndTiesKeepTheDriversOrder()
    {
        string[] listed = ["b", "A", "a", "B", "é", "Z", "É", "_x", "1", "[", "ab", "aB", "Ab"];

        var sorted = listed.OrderBy(n => n, VshNameOrder.Instance).ToArray();

        Assert.That(sorted, Is.EqualTo(new[] { "1", "[", "_x", "A", "a", "ab", "aB", "Ab", "b", "B", "Z", "É", "é" }));
    }

    [Test]
    public void ADeepChainPrintsWithoutRecursionEvenOnASmallStack()
    {
        const int Depth = 2000;
        var nodes = Enumerable.Range(0, Depth).Select(i => ("s" + i, i == 0 ? null : "s" + (i - 1))).ToList();
        string? text = null;
        Exception? failure = null;

        // 256 KiB: a recursive walk needs a frame per level; this one must not.
        var thread = new Thread(() =>
        {
            try
            {
                text = SnapshotTreePrinter.Print(nodes);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }, maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();

        Assert.That(failure, Is.Null);
        string[] lines = text!.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Length.EqualTo(2 * Depth + 1), "a name and a rail per level, a blank line after the leaf");
            Assert.That(lines[0], Is.EqualTo("s0"));
            Assert.That(lines[1], Is.EqualTo("  |"));
            Assert.That(lines[2], Is.EqualTo("  +- s1"));
            Assert.That(lines[3], Is.EqualTo("      |"));
            Assert.That(lines[^3], Is.EqualTo(new string(' ', 4 * (Depth - 1) - 2) + "+- s" + (Depth - 1)));
            Assert.That(lines[^2], Is.EqualTo(new string(' ', 4 * (Depth - 1))));
            Assert.That(lines[^1], Is.Empty);
        });
    }

    [Test]
    public void AWideTreePrintsEveryChildOnceInListOrder()
    {
        const int Width = 20_000;
        var nodes = new List<(string, string?)> { ("root", null) };
        nodes.AddRange(Enumerable.Range(0, Width).Select(i => ("c" + i, (string?)"root")));
        nodes.Add(("other", null));

        string[] lines = SnapshotTreePrinter.Print(nodes).Split('\n');

        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Length.EqualTo(Width + 6));
            Assert.That(lines[..4], Is.EqualTo(new[] { "root", "  |", "  +- c0", "  +- c1" }));
            Assert.That(lines[^5..], Is.EqualTo(new[] { "  +- c19999", "    ", "other", "", "" }));
        });
    }
}
