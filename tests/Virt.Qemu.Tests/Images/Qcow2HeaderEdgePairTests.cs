using System.Text;
using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ImageBytes;

namespace Virt.Qemu.Tests.Images;

/// <summary>
/// Edges of the qcow2 header that only a file cut at the exact byte, or a header of the exact minimum length,
/// reaches: the 72-byte version 2 header, the 104-byte version 3 header directly followed by an extension, and a
/// header extension ending where a short file ends. Each pair shows which part of the image the reader got to:
/// at the edge the part is read and the refusal (if any) names what comes after it; one byte short it names the part.
/// The base image is <see cref="ImageBytes.NativeOverlay"/> (extensions at 112: backing format 112..128, feature
/// table 128..520, end marker 520..528; backing name at 528).
/// </summary>
public sealed class Qcow2HeaderEdgePairTests
{
    private const string Invalid = "'img' is not a valid qcow2 image: ";
    private const string Truncated = "; the image is truncated or damaged";

    private static string RefusedDetail(byte[] bytes)
    {
        var ex = Assert.Throws<VirtException>(() => Read(bytes));
        Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.ReadFailed));
        return ex.Detail!;
    }

    /// <summary>The first <paramref name="length"/> bytes of a version 2 header without a backing file.</summary>
    private static byte[] V2Header(int length)
    {
        byte[] b = NativeOverlay()[..length];
        U32(b, 4, 2);
        U64(b, 8, 0);
        U32(b, 16, 0);
        return b;
    }

    [Test]
    public void AVersion2HeaderOfExactly72BytesIsReadAnd71BytesAreRefusedAsATruncatedHeader()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RefusedDetail(V2Header(72)), Is.EqualTo(Invalid + "header extension at offset 72 (8 bytes) lies past the end of the file (72 bytes)" + Truncated),
                "the whole header is read; the extension area after it is missing");
            Assert.That(RefusedDetail(V2Header(71)), Is.EqualTo(Invalid + "qcow2 header at offset 0 (72 bytes) lies past the end of the file (71 bytes)" + Truncated));
        });
    }

    [Test]
    public void AHeaderOf104BytesHasNoCompressionFieldSoTheExtensionStartingThereIsReadAndA112ByteHeaderHasOne()
    {
        // The backing format extension moved to 104: its type's first byte (0xe2) is where a longer header keeps
        // the compression type.
        byte[] at104 = NativeOverlay();
        U32(at104, 100, 104);
        Array.Clear(at104, 104, 528 - 104);
        U32(at104, 104, Qcow2Constants.ExtBackingFormat);
        U32(at104, 108, 5);
        Encoding.ASCII.GetBytes("qcow2").CopyTo(at104, 112);

        byte[] zstd = NativeOverlay();
        zstd[104] = 1;
        U64(zstd, 72, 1UL << Qcow2Constants.IncompatCompressionType);

        ImageInfo short104 = Read(at104);
        Assert.Multiple(() =>
        {
            Assert.That(short104.Qcow2!.HeaderLength, Is.EqualTo(104));
            Assert.That(short104.Qcow2.CompressionType, Is.EqualTo("zlib"));
            Assert.That(short104.BackingFormat, Is.EqualTo("qcow2"));
            Assert.That(short104.BackingFilename, Is.EqualTo("base.qcow2"));
            Assert.That(Read(zstd).Qcow2!.CompressionType, Is.EqualTo("zstd"));
        });
    }

    [Test]
    public void AnExtensionEndingExactlyAtTheEndOfAShortFileIsReadAndOneByteShortIsRefused()
    {
        // The feature table's data is 136..520: cut at 520 it is whole and the next extension header is missing.
        Assert.Multiple(() =>
        {
            Assert.That(RefusedDetail(NativeOverlay()[..520]), Is.EqualTo(Invalid + "header extension at offset 520 (8 bytes) lies past the end of the file (520 bytes)" + Truncated));
            Assert.That(RefusedDetail(NativeOverlay()[..519]), Is.EqualTo(Invalid + "header extension 0x6803f857 at offset 136 (384 bytes) lies past the end of the file (519 bytes)" + Truncated));
        });
    }
}
