using System.Text.Json.Nodes;
using Virt.Qemu.Images;

namespace Virt.Qemu.Tests.Images;

public sealed class ImageFormatterTests
{
    private static ImageSnapshotInfo Snapshot(string id, string name, long vmState, long clockNs, long? icount) => new()
    {
        Id = id,
        Name = name,
        VmStateSize = vmState,
        DateSeconds = 1_700_000_000,
        DateNanoseconds = 5,
        VmClockNanoseconds = clockNs,
        Icount = icount,
    };

    [Test]
    public void SnapshotsJsonUsesQemuImgsFieldNamesAndOmitsUnknownIcount()
    {
        string json = ImageFormatter.SnapshotsJson([Snapshot("1", "a", 0, 3_723_004_000_000, 7), Snapshot("2", "b", 1 << 20, 0, null)]);
        JsonArray array = JsonNode.Parse(json)!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(json, Does.EndWith("]\n"));
            Assert.That(array[0]!["icount"]!.GetValue<long>(), Is.EqualTo(7));
            Assert.That(array[0]!["vm-clock-sec"]!.GetValue<long>(), Is.EqualTo(3723));
            Assert.That(array[0]!["vm-clock-nsec"]!.GetValue<long>(), Is.EqualTo(4_000_000));
            Assert.That(array[0]!["date-sec"]!.GetValue<long>(), Is.EqualTo(1_700_000_000));
            Assert.That(array[0]!["date-nsec"]!.GetValue<long>(), Is.EqualTo(5));
            Assert.That(array[1]!["vm-state-size"]!.GetValue<long>(), Is.EqualTo(1 << 20));
            Assert.That(array[1]!.AsObject().ContainsKey("icount"), Is.False);
            Assert.That(array[1]!["id"]!.GetValue<string>(), Is.EqualTo("2"));
        });
    }

    [Test]
    public void SnapshotTextHasQemuImgsColumns()
    {
        string text = ImageFormatter.SnapshotsText([Snapshot("1", "a", 1536 * 1024, 3_723_004_000_000, null)]);
        string date = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(text, Is.EqualTo(
            "Snapshot list:\n"
            + "ID        TAG               VM SIZE                DATE     VM CLOCK     ICOUNT\n"
            + $"1         a                 1.5 MiB {date} 01:02:03.004           \n"));
    }

    [Test]
    public void NoSnapshotsPrintNothing() => Assert.That(ImageFormatter.SnapshotsText([]), Is.Empty);
}
