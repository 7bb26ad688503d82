using Virt.Remote.Xdr;

namespace Virt.Remote.Tests.Xdr;

public sealed class XdrCodecTests
{
    private static string Hex(XdrWriter writer) => Convert.ToHexString(writer.Written);

    [Test]
    public void IntegersAreBigEndianFourAndEightByteUnits()
    {
        var w = new XdrWriter();
        w.WriteInt32(-2);
        w.WriteUInt32(0x20008086);
        w.WriteInt64(-1);
        w.WriteUInt64(9_000_000);
        w.WriteBool(true);
        Assert.That(Hex(w), Is.EqualTo("FFFFFFFE" + "20008086" + "FFFFFFFFFFFFFFFF" + "0000000000895440" + "00000001"));
    }

    [Test]
    public void StringsAreLengthThenUtf8BytesPaddedWithZerosToFour()
    {
        var w = new XdrWriter();
        w.WriteString("abc");
        w.WriteString("abcd");
        w.WriteString(string.Empty);
        w.WriteString("é");
        Assert.That(Hex(w), Is.EqualTo("00000003616263" + "00" + "0000000461626364" + "00000000" + "00000002C3A90000"));
    }

    [Test]
    public void OptionalStringsAreABooleanThenTheString()
    {
        var w = new XdrWriter();
        w.WriteOptionalString(null);
        w.WriteOptionalString("test:///default");
        Assert.That(Hex(w), Is.EqualTo("00000000" + "00000001" + "0000000F" + Convert.ToHexString("test:///default"u8) + "00"));
    }

    [Test]
    public void OpaquesFixedWithoutLengthVariableWithLength()
    {
        var w = new XdrWriter();
        w.WriteFixedOpaque([1, 2, 3, 4, 5]);
        w.WriteOpaque([9]);
        Assert.That(Hex(w), Is.EqualTo("0102030405000000" + "0000000109000000"));
    }

    [Test]
    public void ReaderDecodesWhatTheWriterWrote()
    {
        var w = new XdrWriter();
        w.WriteInt32(int.MinValue);
        w.WriteUInt64(ulong.MaxValue);
        w.WriteString("snap-1");
        w.WriteOptionalString(null);
        w.WriteOptionalString("x");
        w.WriteFixedOpaque([7, 7, 7]);
        var r = new XdrReader(w.Written);
        int i32 = r.ReadInt32();
        ulong u64 = r.ReadUInt64();
        string s = r.ReadString();
        string? none = r.ReadOptionalString();
        string? some = r.ReadOptionalString();
        byte[] opaque = r.ReadFixedOpaque(3).ToArray();
        int remaining = r.Remaining;
        Assert.Multiple(() =>
        {
            Assert.That(i32, Is.EqualTo(int.MinValue));
            Assert.That(u64, Is.EqualTo(ulong.MaxValue));
            Assert.That(s, Is.EqualTo("snap-1"));
            Assert.That(none, Is.Null);
            Assert.That(some, Is.EqualTo("x"));
            Assert.That(opaque, Is.EqualTo(new byte[] { 7, 7, 7 }));
            Assert.That(remaining, Is.Zero);
        });
    }

    [TestCase("00000005616263", "message ends 5 bytes early", TestName = "Truncated string")]
    [TestCase("7FFFFFFF", "string length 2147483647 exceeds the limit of 4194304", TestName = "String over VIR_NET_MESSAGE_STRING_MAX")]
    [TestCase("0000000161626364", "non-zero XDR padding", TestName = "Non-zero padding")]
    [TestCase("00000002FFFE0000", "string is not valid UTF-8", TestName = "Invalid UTF-8")]
    public void ReaderRefusesHostileStrings(string hex, string message)
    {
        byte[] bytes = Convert.FromHexString(hex);
        var ex = Assert.Throws<XdrException>(() => new XdrReader(bytes).ReadString());
        Assert.That(ex!.Message, Is.EqualTo(message));
    }

    [Test]
    public void ReaderRefusesABooleanOtherThanZeroOrOne()
    {
        byte[] bytes = Convert.FromHexString("00000002");
        var ex = Assert.Throws<XdrException>(() => new XdrReader(bytes).ReadBool());
        Assert.That(ex!.Message, Is.EqualTo("boolean value 2 is neither 0 nor 1"));
    }

    [Test]
    public void ReaderRefusesAnArrayLongerThanItsLimit()
    {
        byte[] bytes = Convert.FromHexString("00004001");
        var ex = Assert.Throws<XdrException>(() => new XdrReader(bytes).ReadArrayLength(16384, "domain list"));
        Assert.That(ex!.Message, Is.EqualTo("domain list length 16385 exceeds the limit of 16384"));
    }

    [Test]
    public void EnsureEndRefusesTrailingBytes()
    {
        byte[] bytes = new byte[8];
        var ex = Assert.Throws<XdrException>(() =>
        {
            var r = new XdrReader(bytes);
            r.ReadInt32();
            r.EnsureEnd();
        });
        Assert.That(ex!.Message, Is.EqualTo("4 unexpected bytes after the payload"));
    }
}
