using System.Text;
using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ImageBytes;

namespace Virt.Qemu.Tests.Images;

/// <summary>
/// The header extensions of a qcow2 image read right: the external data file and its raw flag, extensions the
/// reader does not know (listed) and the encryption pointer (ignored), the feature name table as QEMU writes it,
/// 8-byte padding between extensions, and a backing file name deep in a large first cluster. The base image is
/// <see cref="ImageBytes.NativeOverlay"/> (extensions at 112, backing format 112..128, feature table 128..520, end
/// marker 520..528, backing name "base.qcow2" at 528); these tests rewrite the area from 128 on.
/// </summary>
public sealed class Qcow2ExtensionAreaTests
{
    private const string Invalid = "'img' is not a valid qcow2 image: ";

    /// <summary>The base image with the given extensions from offset 128 on, each padded to 8 bytes, then the end marker.</summary>
    private static byte[] WithExtensions(params (uint Type, byte[] Data)[] extensions)
    {
        byte[] b = NativeOverlay();
        Array.Clear(b, 128, 528 - 128);
        int at = 128;
        foreach (var (type, data) in extensions)
        {
            U32(b, at, type);
            U32(b, at + 4, (uint)data.Length);
            data.CopyTo(b, at + 8);
            at += 8 + ((data.Length + 7) & ~7);
        }

        return b;
    }

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    private static byte[] FeatureEntry(byte kind, byte bit, string name)
    {
        byte[] e = new byte[48];
        e[0] = kind;
        e[1] = bit;
        Ascii(name).CopyTo(e, 2);
        return e;
    }

    private static string RefusedDetail(byte[] bytes)
    {
        var ex = Assert.Throws<VirtException>(() => Read(bytes));
        Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.ReadFailed));
        return ex.Detail!;
    }

    [Test]
    public void AnExternalDataFileIsReportedWithItsRawFlag()
    {
        byte[] raw = WithExtensions((0x44415441, Ascii("disk.raw")));
        U64(raw, 72, 1UL << 2);
        U64(raw, 88, 1UL << 1);
        byte[] notRaw = WithExtensions((0x44415441, Ascii("disk.raw")));
        U64(notRaw, 72, 1UL << 2);
        byte[] bitOnly = NativeOverlay();
        U64(bitOnly, 72, 1UL << 2);

        Assert.Multiple(() =>
        {
            Qcow2Details withRaw = Read(raw).Qcow2!;
            Assert.That((withRaw.DataFile, withRaw.DataFileRaw), Is.EqualTo(("disk.raw", (bool?)true)));
            Qcow2Details plain = Read(notRaw).Qcow2!;
            Assert.That((plain.DataFile, plain.DataFileRaw), Is.EqualTo(("disk.raw", (bool?)false)));
            Qcow2Details noName = Read(bitOnly).Qcow2!;
            Assert.That((noName.DataFile, noName.DataFileRaw), Is.EqualTo(((string?)null, (bool?)false)));
            Qcow2Details none = Read(NativeOverlay()).Qcow2!;
            Assert.That((none.DataFile, none.DataFileRaw), Is.EqualTo(((string?)null, (bool?)null)));
        });
    }

    [Test]
    public void UnknownExtensionsAreListedInOrderAndTheEncryptionPointerIsIgnored()
    {
        byte[] b = WithExtensions(
            (0x12345678, Ascii("abc")),
            (0x0537be77, new byte[16]),
            (0xdeadbeef, []),
            (0xe2792aca, Ascii("raw")));

        Qcow2Details d = Read(b).Qcow2!;
        Assert.Multiple(() =>
        {
            Assert.That(d.UnknownExtensions, Is.EqualTo(new uint[] { 0x12345678, 0xdeadbeef }));
            Assert.That(Read(b).BackingFormat, Is.EqualTo("raw"), "an extension after a 3-byte one starts at the next multiple of 8");
            Assert.That(Read(b).BackingFilename, Is.EqualTo("base.qcow2"));
        });
    }

    [Test]
    public void TheFeatureNameTableIsReadAndEntriesOfUnknownKindOrBitAreSkipped()
    {
        string longest = new('n', 46);
        byte[] table =
        [
            .. FeatureEntry(0, 0, "dirty bit"),
            .. FeatureEntry(1, 0, "lazy refcounts"),
            .. FeatureEntry(2, 1, "raw external data"),
            .. FeatureEntry(3, 5, "kind three"),
            .. FeatureEntry(0, 64, "bit sixty-four"),
            .. FeatureEntry(0, 63, "top bit"),
            .. FeatureEntry(2, 2, ""),
            .. FeatureEntry(1, 7, longest),
        ];

        IReadOnlyList<Qcow2FeatureName> names = Read(WithExtensions((0x6803f857, table))).Qcow2!.FeatureNames;

        Assert.That(names.Select(n => (n.Kind, n.Bit, n.Name)), Is.EqualTo(new[]
        {
            (Qcow2FeatureKind.Incompatible, 0, "dirty bit"),
            (Qcow2FeatureKind.Compatible, 0, "lazy refcounts"),
            (Qcow2FeatureKind.Autoclear, 1, "raw external data"),
            (Qcow2FeatureKind.Incompatible, 63, "top bit"),
            (Qcow2FeatureKind.Autoclear, 2, ""),
            (Qcow2FeatureKind.Compatible, 7, longest),
        }));
    }

    [Test]
    public void AFeatureTableWithAPartialLastEntryReadsTheWholeEntriesOnly()
    {
        byte[] table = [.. FeatureEntry(0, 0, "dirty bit"), .. FeatureEntry(0, 1, "corrupt bit"), .. new byte[47]];
        IReadOnlyList<Qcow2FeatureName> names = Read(WithExtensions((0x6803f857, table))).Qcow2!.FeatureNames;
        Assert.That(names.Select(n => n.Name), Is.EqualTo(new[] { "dirty bit", "corrupt bit" }));
    }

    [Test]
    public void AnExtensionAreaEndingOnTheEightByteGridIsReadAndOneEndingInsideAHeaderIsRefused()
    {
        // The end marker fills 520..528, where the backing name starts; a name at 524 cuts the marker in half.
        byte[] cut = NativeOverlay();
        U64(cut, 8, 524);
        Assert.Multiple(() =>
        {
            Assert.That(Read(NativeOverlay()).BackingFilename, Is.EqualTo("base.qcow2"));
            Assert.That(RefusedDetail(cut), Is.EqualTo(Invalid + "header extension at offset 520 runs past the end of the extension area (524)"));
        });
    }

    [Test]
    public void AFileEndingInsideAnExtensionHeaderOrItsDataIsRefusedAsTruncated()
    {
        byte[] full = NativeOverlay();
        Assert.Multiple(() =>
        {
            Assert.That(RefusedDetail(full[..116]), Is.EqualTo(Invalid + "header extension at offset 112 (8 bytes) lies past the end of the file (116 bytes); the image is truncated or damaged"));
            Assert.That(RefusedDetail(full[..120]), Is.EqualTo(Invalid + "header extension 0xe2792aca at offset 120 (5 bytes) lies past the end of the file (120 bytes); the image is truncated or damaged"));
        });
    }

    // The reader first reads 4 KiB of the first cluster; a name at 9000 needs a second read. At 40000 it lies beyond
    // what a reader that doubled its buffer on every small read would already hold after the extensions (32 KiB).
    [TestCase(9000)]
    [TestCase(40000)]
    public void ABackingNameFarIntoALargeFirstClusterIsRead(int at)
    {
        byte[] b = WithExtensions();
        Array.Clear(b, 528, 16);
        Ascii("far/away.qcow2").CopyTo(b, at);
        U64(b, 8, (ulong)at);
        U32(b, 16, 14);
        Assert.That(Read(b).BackingFilename, Is.EqualTo("far/away.qcow2"));
    }
}
