using Virt.Drivers;
using Virt.Remote.Protocol;
using Virt.Remote.Rpc;
using Virt.Remote.Xdr;

namespace Virt.Remote.Tests.Rpc;

public sealed class RpcFrameTests
{
    [Test]
    public void ACallWithoutArgumentsIsTheLengthWordAndThe24ByteHeader()
    {
        byte[] frame = RpcFrame.Encode(new RpcHeader(RpcPrograms.Remote, 1, 3, RpcMessageType.Call, 7, RpcStatus.Ok), null);
        Assert.That(Convert.ToHexString(frame), Is.EqualTo("0000001C" + "20008086" + "00000001" + "00000003" + "00000000" + "00000007" + "00000000"));
    }

    [Test]
    public void ACallWithADomainArgumentEncodesNameUuidAndId()
    {
        var domain = new DomainIdentity("vm", Guid.Parse("6695eb01-f6a4-8304-79aa-97f2502e193f"));
        byte[] frame = RpcFrame.Encode(new RpcHeader(RpcPrograms.Remote, 1, (int)RemoteProcedure.DomainGetState, RpcMessageType.Call, 1, RpcStatus.Ok), w =>
        {
            RemoteWire.WriteDomain(w, domain);
            w.WriteUInt32(0);
        });
        Assert.That(Convert.ToHexString(frame), Is.EqualTo(
            "0000003C" + "20008086" + "00000001" + "000000D4" + "00000000" + "00000001" + "00000000"
            + "00000002" + "766D0000" + "6695EB01F6A4830479AA97F2502E193F" + "FFFFFFFF" + "00000000"));
    }

    [Test]
    public void TheHeaderDecodesAsItWasEncoded()
    {
        var header = new RpcHeader(RpcPrograms.KeepAlive, 1, RpcPrograms.KeepAlivePing, RpcMessageType.Message, 0, RpcStatus.Ok);
        byte[] frame = RpcFrame.Encode(header, null);
        var reader = new XdrReader(frame.AsSpan(RpcFrame.LengthSize));
        Assert.That(RpcHeader.Read(ref reader), Is.EqualTo(header));
    }

    [TestCase(28u, 24)]
    [TestCase(16u * 1024 * 1024 + 4, 16 * 1024 * 1024)]
    public void LengthsFromABareHeaderTo16MiBAreAccepted(uint length, int body)
    {
        byte[] word = [(byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length];
        Assert.That(RpcFrame.BodyLength(word), Is.EqualTo(body));
    }

    [TestCase(27u, "packet 27 bytes received from server too small, want 28")]
    [TestCase(0u, "packet 0 bytes received from server too small, want 28")]
    [TestCase(16u * 1024 * 1024 + 5, "packet 16777217 bytes received from server too large, want 16777216")]
    [TestCase(0xFFFFFFFFu, "packet 4294967291 bytes received from server too large, want 16777216")]
    public void LengthsOutsideTheLimitsAreRefused(uint length, string message)
    {
        byte[] word = [(byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length];
        var ex = Assert.Throws<XdrException>(() => RpcFrame.BodyLength(word));
        Assert.That(ex!.Message, Is.EqualTo(message));
    }

    [Test]
    public void ACallLargerThan16MiBIsRefusedBeforeSending()
    {
        string big = new('x', 16 * 1024 * 1024);
        var ex = Assert.Throws<VirtException>(() =>
            RpcFrame.Encode(new RpcHeader(RpcPrograms.Remote, 1, 11, RpcMessageType.Call, 1, RpcStatus.Ok), w => w.WriteString(big)));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.Rpc));
            Assert.That(ex.Message, Is.EqualTo("message length 16777244 too large, want at most 16777216"));
        });
    }
}
