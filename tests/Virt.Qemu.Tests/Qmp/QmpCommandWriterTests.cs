using System.Text;
using System.Text.Json;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>The exact line a command becomes on the monitor socket: one JSON object, its arguments, its id, one
/// newline; out-of-band commands say exec-oob.</summary>
[TestFixture]
public sealed class QmpCommandWriterTests
{
    private static string Text(ReadOnlyMemory<byte> line) => Encoding.UTF8.GetString(line.Span);

    [Test]
    public void ACommandWithArgumentsIsOneLineWithItsId()
    {
        string line = Text(QmpCommandWriter.Write("human-monitor-command", 42, new HumanMonitorCommandArguments("info block"), QmpJsonContext.Default.HumanMonitorCommandArguments));

        Assert.That(line, Is.EqualTo("{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info block\"},\"id\":42}\n"));
    }

    [Test]
    public void ACommandWithoutArgumentsHasNoArgumentsMember()
    {
        string line = Text(QmpCommandWriter.Write("query-status", 0, null, null));

        Assert.That(line, Is.EqualTo("{\"execute\":\"query-status\",\"id\":0}\n"));
    }

    [Test]
    public void AnOutOfBandCommandSaysExecOob()
    {
        string line = Text(QmpCommandWriter.Write("migrate-pause", 7, null, null, outOfBand: true));

        Assert.That(line, Is.EqualTo("{\"exec-oob\":\"migrate-pause\",\"id\":7}\n"));
    }

    [Test]
    public void RawArgumentsArePassedThroughAsGiven()
    {
        using var args = JsonDocument.Parse("{\"device\": \"vda\", \"n\": [1, 2]}");

        string withArgs = Text(QmpCommandWriter.WriteRaw("block-job-pause", long.MaxValue, args.RootElement, outOfBand: false));
        string oob = Text(QmpCommandWriter.WriteRaw("x-oob", 3, null, outOfBand: true));
        string plain = Text(QmpCommandWriter.WriteRaw("query-block", 4, null, outOfBand: false));

        Assert.Multiple(() =>
        {
            Assert.That(withArgs, Is.EqualTo("{\"execute\":\"block-job-pause\",\"arguments\":{\"device\":\"vda\",\"n\":[1,2]},\"id\":9223372036854775807}\n"));
            Assert.That(oob, Is.EqualTo("{\"exec-oob\":\"x-oob\",\"id\":3}\n"));
            Assert.That(plain, Is.EqualTo("{\"execute\":\"query-block\",\"id\":4}\n"));
        });
    }

    [Test]
    public void EachCommandStartsAFreshLine()
    {
        string first = Text(QmpCommandWriter.Write("stop", 1, null, null));
        string second = Text(QmpCommandWriter.Write("cont", 2, null, null));

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo("{\"execute\":\"stop\",\"id\":1}\n"));
            Assert.That(second, Is.EqualTo("{\"execute\":\"cont\",\"id\":2}\n"), "nothing of the previous command is left in the buffer");
        });
    }
}
