namespace Virt.Qemu.Tests.Snapshots.External;

/// <summary>
/// External snapshots onto a file system that is full, for real: a 16 KiB tmpfs mounted for the test holds an overlay or
/// the memory file, and the kernel answers ENOSPC. The create fails with the reason, the domain runs on its old files
/// with its data, nothing is left on either file system and a snapshot taken afterwards elsewhere works.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[NonParallelizable]
public sealed class ExternalDiskFullTests : ExternalSnapshotTest
{
    private string _full = "";

    [SetUp]
    public void MountFullFileSystem()
    {
        _full = Path.Combine(Root, "full");
        Directory.CreateDirectory(_full);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", "size=16k,mode=0700", "tmpfs", _full);
        Assert.That(code, Is.Zero, "mounting a small tmpfs (the tests run as root): " + output);
    }

    [TearDown]
    public void UnmountFullFileSystem()
    {
        if (_full.Length > 0)
        {
            Run("umount", "-l", _full);
        }
    }

    [Test]
    public void AnOverlayThatDoesNotFitFailsAndTheDomainRunsOnItsOldFiles()
    {
        var vm = DefineVm();
        vm.Start();
        WriteData(vm, 0x5a);
        string[] before = ActiveFiles(vm);
        string fits = Path.Combine(Images, "vda-s1.qcow2");
        string tooBig = Path.Combine(_full, "vdb-s1.qcow2");

        var error = Assert.Throws<VirtException>(() => vm.CreateSnapshot($"""
            <domainsnapshot><name>s1</name><disks>
              <disk name='vda' snapshot='external'><source file='{fits}'/></disk>
              <disk name='vdb' snapshot='external'><source file='{tooBig}'/></disk>
            </disks></domainsnapshot>
            """, SnapshotCreateFlags.DiskOnly));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("No space left on device"));
            Assert.That(vm.ListSnapshots(), Is.Empty);
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running));
            Assert.That(ActiveFiles(vm), Is.EqualTo(before), "QEMU stays on the old files");
            Assert.That(DataOf(vm), Is.All.EqualTo(0x5a));
            Assert.That(File.Exists(fits), Is.False, "the overlay that was made is removed again");
            Assert.That(Directory.EnumerateFileSystemEntries(_full), Is.Empty, "nothing is left on the full file system");
        });
        AssertASnapshotElsewhereWorks(vm);
    }

    [Test]
    public void AMemoryFileThatDoesNotFitFailsAndTheGuestRunsOn()
    {
        var vm = DefineVm();
        vm.Start();
        WriteData(vm, 0x6b);
        string[] before = ActiveFiles(vm);

        var error = Assert.Throws<VirtException>(() => vm.CreateSnapshot(WithMemory("s1", Path.Combine(_full, "s1.mem"))));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("No space left on device"));
            Assert.That(vm.ListSnapshots(), Is.Empty);
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running), "the guest paused for the save runs again");
            Assert.That(ActiveFiles(vm), Is.EqualTo(before));
            Assert.That(DataOf(vm), Is.All.EqualTo(0x6b));
            Assert.That(Directory.EnumerateFileSystemEntries(_full), Is.Empty, "no memory file, whole or partial, is left");
        });
        AssertASnapshotElsewhereWorks(vm);
    }

    [Test]
    public void AnOfflineOverlayThatDoesNotFitLeavesTheDefinitionOnTheOldFiles()
    {
        var vm = DefineVm();
        WriteData(vm, 0x7c);
        string[] before = ActiveFiles(vm, DomainXmlFlags.Inactive);

        var error = Assert.Throws<VirtException>(() => vm.CreateSnapshot($"""
            <domainsnapshot><name>s1</name><disks>
              <disk name='vda' snapshot='external'><source file='{Path.Combine(Images, "vda-s1.qcow2")}'/></disk>
              <disk name='vdb' snapshot='external'><source file='{Path.Combine(_full, "vdb-s1.qcow2")}'/></disk>
            </disks></domainsnapshot>
            """, SnapshotCreateFlags.DiskOnly));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("No space left on device"));
            Assert.That(vm.ListSnapshots(), Is.Empty);
            Assert.That(ActiveFiles(vm, DomainXmlFlags.Inactive), Is.EqualTo(before));
            Assert.That(DataOf(vm), Is.All.EqualTo(0x7c));
            Assert.That(File.Exists(Path.Combine(Images, "vda-s1.qcow2")), Is.False);
            Assert.That(Directory.EnumerateFileSystemEntries(_full), Is.Empty);
        });
        AssertASnapshotElsewhereWorks(vm);
    }

    private void AssertASnapshotElsewhereWorks(IVirtDomain vm)
    {
        vm.CreateSnapshot(DiskOnly("s2"), SnapshotCreateFlags.DiskOnly);
        Assert.That(vm.ListSnapshots().Select(s => s.Name), Is.EqualTo(new[] { "s2" }));
        if (vm.IsActive)
        {
            vm.Destroy();
        }

        CheckFiles(vm);
    }
}
