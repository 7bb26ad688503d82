using System.Xml.Linq;
using Virt.Qemu.Images;

namespace Virt.Qemu.Tests.Snapshots.External;

/// <summary>
/// Which files go with an external snapshot and which stay: its memory file and NVRAM copy go with it (and stay with
/// METADATA_ONLY, as libvirt leaves a snapshot's files then), but never while another snapshot or the definition still
/// names them; and a revert removes every overlay Virt made that nothing references any more, also one a stream made
/// standalone, never a file Virt did not make.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExternalSnapshotFilesTests : ExternalSnapshotTest
{
    [Test]
    public void AMemoryFileAndNvramCopyGoWithTheirSnapshot()
    {
        var vm = DefineUefiVm();
        vm.Start(DomainStartFlags.Paused);
        vm.CreateSnapshot(WithMemory("s1", MemoryFile("s1")));
        vm.CreateSnapshot(WithMemory("s2", MemoryFile("s2")));
        vm.Destroy();
        Assert.That(new[] { MemoryFile("s2"), NvramCopy("s2") }.All(File.Exists), Is.True, "s2 has its files");

        vm.LookupSnapshot("s2").Delete();

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(MemoryFile("s2")), Is.False, "s2's memory file went with it");
            Assert.That(File.Exists(NvramCopy("s2")), Is.False, "s2's NVRAM copy went with it");
            Assert.That(File.Exists(MemoryFile("s1")) && File.Exists(NvramCopy("s1")), Is.True, "s1's stay");
        });
        CheckFiles(vm);
    }

    [Test]
    public void MetadataOnlyKeepsTheMemoryFileAndTheNvramCopyForARedefine()
    {
        var vm = DefineUefiVm();
        vm.Start(DomainStartFlags.Paused);
        WriteData(vm, 0xaa);
        string ram = Ram(vm);
        var s1 = vm.CreateSnapshot(WithMemory("s1", MemoryFile("s1")));
        string xml = s1.GetXmlDescription();
        byte[] copy = File.ReadAllBytes(NvramCopy("s1"));

        s1.Delete(SnapshotDeleteFlags.MetadataOnly);

        Assert.Multiple(() =>
        {
            Assert.That(vm.ListSnapshots(), Is.Empty);
            Assert.That(File.Exists(MemoryFile("s1")), Is.True, "the memory file stays");
            Assert.That(File.Exists(NvramCopy("s1")) ? File.ReadAllBytes(NvramCopy("s1")) : null, Is.EqualTo(copy), "the NVRAM copy stays");
        });

        // Redefined from its XML, the snapshot is whole again: a revert brings back its RAM and disks.
        vm.CreateSnapshot(xml, SnapshotCreateFlags.Redefine);
        vm.Resume();
        WriteData(vm, 0xbb);
        vm.LookupSnapshot("s1").Revert(SnapshotRevertFlags.Paused);
        Assert.Multiple(() =>
        {
            Assert.That(Ram(vm), Is.EqualTo(ram));
            Assert.That(DataOf(vm), Is.All.EqualTo(0xaa));
        });
        vm.Destroy();
        CheckFiles(vm);
    }

    [Test]
    public void AMemoryFileAnotherSnapshotOrTheDefinitionNamesStays()
    {
        var vm = DefineUefiVm();
        vm.Start(DomainStartFlags.Paused);
        string memory = MemoryFile("s1");
        string xml = vm.CreateSnapshot(WithMemory("s1", memory)).GetXmlDescription();
        vm.Destroy();
        vm.CreateSnapshot(xml.Replace("<name>s1</name>", "<name>s3</name>", StringComparison.Ordinal), SnapshotCreateFlags.Redefine);

        vm.LookupSnapshot("s1").Delete();

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(memory), Is.True, "s3 names the memory file too");
            Assert.That(File.Exists(NvramCopy("s1")), Is.False, "s1's NVRAM copy is its own");
        });
        CheckFiles(vm);

        // The definition names the file (as a raw disk): deleting the last snapshot that names it keeps it.
        var definition = XElement.Parse(vm.GetXmlDescription(DomainXmlFlags.Inactive));
        definition.Element("devices")!.Add(XElement.Parse($"<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='{memory}'/><target dev='vdc' bus='virtio'/><readonly/></disk>"));
        Conn.DefineDomain(definition.ToString());
        vm.LookupSnapshot("s3").Delete();
        Assert.That(File.Exists(memory), Is.True, "the definition names it");
        CheckFiles(vm);
    }

    [Test]
    public void ARevertRemovesARevertOverlayAStreamMadeStandaloneButNoFileVirtDidNotMake()
    {
        var vm = DefineVm();
        WriteData(vm, 0xaa);
        vm.CreateSnapshot(DiskOnly("s1"), SnapshotCreateFlags.DiskOnly);
        WriteData(vm, 0xbb);
        vm.CreateSnapshot(DiskOnly("s2"), SnapshotCreateFlags.DiskOnly);
        vm.LookupSnapshot("s1").Revert();
        string[] branch = ActiveFiles(vm);
        WriteData(vm, 0xcc);

        // s1 has two layers above its files (s2's point in time and the revert's overlay): both are streamed, s1's files go.
        vm.LookupSnapshot("s1").Delete();
        Assert.That(branch.Select(BackingOf), Is.All.Null, "the revert overlays are standalone now");
        CheckFiles(vm);

        // A disk of the user's own, outside the images folder, that s2's definition does not have.
        string own = Path.Combine(Root, "own", "extra.qcow2");
        Directory.CreateDirectory(Path.GetDirectoryName(own)!);
        QemuImage.Create(own, 1 << 20);
        var definition = XElement.Parse(vm.GetXmlDescription(DomainXmlFlags.Inactive));
        definition.Element("devices")!.Add(XElement.Parse($"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{own}'/><target dev='vdc' bus='virtio'/></disk>"));
        Conn.DefineDomain(definition.ToString());

        vm.LookupSnapshot("s2").Revert();

        Assert.Multiple(() =>
        {
            Assert.That(branch.Where(File.Exists), Is.Empty, "the branch left is removed");
            Assert.That(File.Exists(own), Is.True, "a file Virt did not make stays");
            Assert.That(DataOf(vm), Is.All.EqualTo(0xbb));
        });
        CheckFiles(vm);
    }

    private string MemoryFile(string snapshot) => Path.Combine(Images, snapshot + ".mem");
}
