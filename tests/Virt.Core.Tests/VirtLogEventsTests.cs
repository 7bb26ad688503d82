using System.Reflection;

namespace Virt.Core.Tests;

public sealed class VirtLogEventsTests
{
    private static Type[] Areas => typeof(VirtLogEvents).GetNestedTypes();

    private static int Constant(Type area, string name) => (int)area.GetField(name)!.GetRawConstantValue()!;

    private static IEnumerable<(Type Area, string Name, int Id)> Events() =>
        Areas.SelectMany(a => a.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name is not ("First" or "Last"))
            .Select(f => (a, f.Name, (int)f.GetRawConstantValue()!)));

    [Test]
    public void RangesAreAThousandEachAndDoNotOverlap()
    {
        var ranges = Areas.Select(a => (a.Name, First: Constant(a, "First"), Last: Constant(a, "Last"))).OrderBy(r => r.First).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ranges.Select(r => r.Last - r.First), Is.All.EqualTo(999));
            Assert.That(ranges.Zip(ranges.Skip(1), (a, b) => a.Last < b.First), Is.All.True);
            Assert.That(ranges.Select(r => r.Name), Is.EqualTo(new[] { "Core", "Qmp", "Snapshot", "Images", "QemuDriver", "Testing", "Remote" }));
        });
    }

    [Test]
    public void EveryEventIdIsInItsAreasRangeAndUnique()
    {
        var events = Events().ToList();
        Assert.Multiple(() =>
        {
            foreach (var (area, name, id) in events)
            {
                Assert.That(id, Is.InRange(Constant(area, "First"), Constant(area, "Last")), $"{area.Name}.{name}");
            }

            Assert.That(events.Select(e => e.Id), Is.Unique);
            Assert.That(events, Is.Not.Empty);
        });
    }
}
