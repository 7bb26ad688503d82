using Virt.Qemu.Images;

namespace Virt.Qemu.Tests.Images;

public sealed class ImageSizeTests
{
    [TestCase("10737418240", 10737418240L)]
    [TestCase("1G", 1073741824L)]
    [TestCase("1g", 1073741824L)]
    [TestCase("512M", 536870912L)]
    [TestCase("64k", 65536L)]
    [TestCase("1.5K", 1536L)]
    [TestCase("0.5G", 536870912L)]
    [TestCase("100B", 100L)]
    [TestCase("2T", 2199023255552L)]
    [TestCase("7E", 8070450532247928832L)]
    [TestCase("0", 0L)]
    public void ParsesLikeQemuImg(string text, long bytes) => Assert.That(ImageSize.Parse(text), Is.EqualTo(bytes));

    [TestCase("")]
    [TestCase("abc")]
    [TestCase("1X")]
    [TestCase("-1")]
    [TestCase("1.5")]
    [TestCase("8E")]
    [TestCase("1GG")]
    [TestCase("99999999999999999999")]
    public void RefusesWhatQemuImgRefuses(string text)
    {
        var ex = Assert.Throws<VirtException>(() => ImageSize.Parse(text));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
            Assert.That(ex.Message, Is.EqualTo($"invalid argument: invalid size '{text}': give a number of bytes with an optional suffix K, M, G, T, P or E (powers of 1024), e.g. 10G or 512M, below 8 EiB"));
        });
    }

    [TestCase(0L, "0 B")]
    [TestCase(999L, "999 B")]
    [TestCase(1000L, "0.977 KiB")]
    [TestCase(1024L, "1 KiB")]
    [TestCase(208896L, "204 KiB")]
    [TestCase(1073741824L, "1 GiB")]
    [TestCase(1610612736L, "1.5 GiB")]
    [TestCase(1048575L, "1 MiB")]
    public void FormatsLikeQemuImg(long bytes, string text) => Assert.That(ImageSize.ToHumanString(bytes), Is.EqualTo(text));
}
