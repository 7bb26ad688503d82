using Virt.IO;
using Virt.Qemu.Driver.State;

namespace Virt.Qemu.Tests.Driver;

/// <summary>When a file's stamp may stand for its content: its last change at least <see cref="FileStamp.SettleTime"/>
/// (50 ms, well above the kernel's file clock step) before the stamp was taken, or two seconds on a file system that
/// keeps whole seconds only.</summary>
public class FileStampSettleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 5, 0, 0, 500, TimeSpan.Zero);

    [TestCase(51, true)]
    [TestCase(50, false)]
    [TestCase(49, false)]
    [TestCase(0, false)]
    [TestCase(-5, false)]
    public void AChangeIsSettledOnlyWhenOlderThanTheSettleTime(int ageMilliseconds, bool settled)
    {
        var changed = Now.AddMilliseconds(-ageMilliseconds);

        Assert.That(StampChangedAt(changed, changed).IsSettled(Now), Is.EqualTo(settled));
    }

    [Test]
    public void TheLaterOfTheModificationAndChangeTimesCounts()
    {
        Assert.Multiple(() =>
        {
            Assert.That(StampChangedAt(Now.AddSeconds(-10), Now.AddMilliseconds(-10)).IsSettled(Now), Is.False, "inode changed 10 ms ago");
            Assert.That(StampChangedAt(Now.AddMilliseconds(-10), Now.AddSeconds(-10)).IsSettled(Now), Is.False, "content changed 10 ms ago");
        });
    }

    [TestCase(3, true)]
    [TestCase(2, false)]
    [TestCase(1, false)]
    public void WholeSecondTimesNeedTwoSeconds(int ageSeconds, bool settled)
    {
        var now = new DateTimeOffset(2026, 12, 1, 5, 0, 10, TimeSpan.Zero);
        long seconds = now.ToUnixTimeSeconds() - ageSeconds;
        var stamp = new FileStamp(1, 2, 3, seconds, 0, seconds, 0);

        Assert.That(stamp.IsSettled(now), Is.EqualTo(settled));
    }

    [Test]
    public void AFileJustWrittenIsNotSettledAndIsSoonAfter()
    {
        string file = Path.GetTempFileName();
        try
        {
            var before = DateTimeOffset.UtcNow;
            File.WriteAllText(file, "x");
            var stamp = FileStamp.Of(file)!.Value;

            Assert.Multiple(() =>
            {
                Assert.That(stamp.IsSettled(before), Is.False, "changed after the time given");
                Assert.That(stamp.IsSettled(DateTimeOffset.UtcNow.AddMilliseconds(100)), Is.True, "a tenth of a second later");
            });
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static FileStamp StampChangedAt(DateTimeOffset modified, DateTimeOffset changed) =>
        new(1, 2, 3, modified.ToUnixTimeSeconds(), NanosecondsOf(modified), changed.ToUnixTimeSeconds(), NanosecondsOf(changed));

    private static uint NanosecondsOf(DateTimeOffset time) => (uint)((time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) % TimeSpan.TicksPerSecond * 100);
}
