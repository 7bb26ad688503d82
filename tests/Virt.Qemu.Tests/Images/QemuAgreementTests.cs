using System.Text.Json.Nodes;
using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ExternalTools;

namespace Virt.Qemu.Tests.Images;

/// <summary>Every image of the corpus reads natively exactly as qemu-img 7.2 reports it, in JSON and in text.</summary>
[TestFixture]
[NonParallelizable]
public sealed class QemuAgreementTests
{
    private ImageCorpus _corpus = null!;

    [OneTimeSetUp]
    public void BuildCorpus() => _corpus = ImageCorpus.Build();

    [OneTimeTearDown]
    public void RemoveCorpus() => _corpus?.Dispose();

    private static IEnumerable<string> Singles => ImageCorpus.SingleImages;

    private static IEnumerable<string> ChainCases => ImageCorpus.Chains;

    [TestCaseSource(nameof(Singles))]
    public void InfoJsonEqualsQemuImg(string name)
    {
        string path = _corpus[name];
        JsonNode? expected = JsonNode.Parse(QemuImg("info", "--output=json", path));
        JsonNode? actual = JsonNode.Parse(ImageFormatter.InfoJson(QemuImage.GetInfo(path)));
        Assert.That(JsonNode.DeepEquals(actual, expected), Is.True, $"ours:\n{actual}\nqemu-img:\n{expected}");
    }

    [TestCaseSource(nameof(Singles))]
    public void InfoTextEqualsQemuImg(string name)
    {
        string path = _corpus[name];
        Assert.That(ImageFormatter.InfoText(QemuImage.GetInfo(path)), Is.EqualTo(QemuImg("info", path)));
    }

    [TestCaseSource(nameof(Singles))]
    public void SnapshotListEqualsQemuImg(string name)
    {
        string path = _corpus[name];
        if (name is "raw" or "backing-missing")
        {
            Assert.That(QemuImage.ListSnapshots(path), Is.Empty);
            return;
        }

        Assert.That(ImageFormatter.SnapshotsText(QemuImage.ListSnapshots(path)), Is.EqualTo(QemuImg("snapshot", "-l", path)));
    }

    [TestCaseSource(nameof(ChainCases))]
    public void BackingChainEqualsQemuImg(string name)
    {
        string path = _corpus[name];
        IReadOnlyList<ImageInfo> chain = QemuImage.GetBackingChain(path);
        JsonNode? expected = JsonNode.Parse(QemuImg("info", "--backing-chain", "--output=json", path));
        JsonNode? actual = JsonNode.Parse(ImageFormatter.ChainJson(chain));
        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.DeepEquals(actual, expected), Is.True, $"ours:\n{actual}\nqemu-img:\n{expected}");
            Assert.That(ImageFormatter.ChainText(chain), Is.EqualTo(QemuImg("info", "--backing-chain", path)));
        });
    }

    [Test]
    public void ChainsOfDepthTenAreReportedWhole()
    {
        Assert.Multiple(() =>
        {
            Assert.That(QemuImage.GetBackingChain(_corpus["chain-rel"]), Has.Count.EqualTo(ImageCorpus.ChainDepth));
            Assert.That(QemuImage.GetBackingChain(_corpus["chain-abs"]), Has.Count.EqualTo(ImageCorpus.ChainDepth));
            Assert.That(QemuImage.GetBackingChain(_corpus["chain-rel"])[^1].Filename, Does.Contain("sub/../l0.qcow2").Or.Contain("/l0.qcow2"));
        });
    }

    [Test]
    public void MissingBackingFileIsReportedWithBothNames()
    {
        var ex = Assert.Throws<VirtException>(() => QemuImage.GetBackingChain(_corpus["backing-missing"]));
        string gone = Path.Combine(_corpus.Root, "gone.qcow2");
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OpenFailed));
            Assert.That(ex.Message, Is.EqualTo($"failed to open file: backing file '{gone}' of '{_corpus["backing-missing"]}' does not exist (looked for '{gone}')"));
        });
    }

    [Test]
    public void SavevmPutsVmStateIntoTheUefiNvramImage()
    {
        ImageSnapshotInfo vars = QemuImage.ListSnapshots(_corpus["nvram-vars"]).Single();
        ImageSnapshotInfo disk = QemuImage.ListSnapshots(_corpus["nvram-disk"]).Single();
        Assert.Multiple(() =>
        {
            Assert.That(vars.Name, Is.EqualTo("uefi1"));
            Assert.That(disk.Name, Is.EqualTo("uefi1"));
            Assert.That(vars.VmStateSize, Is.GreaterThan(0), "the NVRAM image holds the VM state");
            Assert.That(disk.VmStateSize, Is.Zero, "the disk holds only its own data");
            Assert.That(vars.DiskSize, Is.EqualTo(QemuImage.GetInfo(_corpus["nvram-vars"]).VirtualSize));
        });
    }

    [Test]
    public void SavevmOnADiskRecordsVmStateAndClock()
    {
        IReadOnlyList<ImageSnapshotInfo> s = QemuImage.ListSnapshots(_corpus["vmstate-disk"]);
        Assert.Multiple(() =>
        {
            Assert.That(s.Select(x => x.Name), Is.EqualTo(new[] { "live1", "live2" }));
            Assert.That(s.Select(x => x.Id), Is.EqualTo(new[] { "1", "2" }));
            Assert.That(s.All(x => x.VmStateSize > 0), Is.True);
            Assert.That(s.All(x => x.DiskSize == 8 << 20), Is.True);
            Assert.That(s.Select(x => x.Icount), Is.EqualTo(QemuImgIcounts(_corpus["vmstate-disk"])), "icount as qemu-img reports it (absent without -icount)");
        });
    }

    [TestCase(12345UL, 12345L)]
    [TestCase(0x8000000000000005UL, -9223372036854775803L)]
    [TestCase(ulong.MaxValue, null)]
    public void IcountIsReadAsQemuImgReadsIt(ulong stored, long? expected)
    {
        using var dir = new TempDir();
        string path = dir["icount.qcow2"];
        QemuImg("create", "-q", "-f", "qcow2", path, "1M");
        QemuImg("snapshot", "-c", "s1", path);
        using (var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            byte[] header = new byte[72];
            f.ReadExactly(header);
            long table = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(64));
            byte[] icount = new byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(icount, stored);
            f.Position = table + 56;
            f.Write(icount);
        }

        IReadOnlyList<ImageSnapshotInfo> ours = QemuImage.ListSnapshots(path);
        Assert.Multiple(() =>
        {
            Assert.That(ours.Single().Icount, Is.EqualTo(expected));
            Assert.That(QemuImgIcounts(path), Is.EqualTo(new[] { expected }));
            Assert.That(ImageFormatter.SnapshotsText(ours), Is.EqualTo(QemuImg("snapshot", "-l", path)));
        });
    }

    private static long?[] QemuImgIcounts(string path) =>
        JsonNode.Parse(QemuImg("info", "--output=json", path))!["snapshots"]!.AsArray()
            .Select(s => s!["icount"]?.GetValue<long>()).ToArray();
}
