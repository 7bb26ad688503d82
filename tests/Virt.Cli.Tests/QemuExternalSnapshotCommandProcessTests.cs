namespace Virt.Cli.Tests;

/// <summary>
/// <c>virt snapshot-create-as --disk-only --diskspec ... --memspec ...</c> and <c>snapshot-revert</c> on
/// qemu:///embed, each a process of its own against a running QEMU: the overlays the diskspecs name are made and used,
/// a disk specified <c>snapshot=no</c> keeps its file, and the revert runs the domain on a fresh overlay of the
/// snapshot's file.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[NonParallelizable]
public class QemuExternalSnapshotCommandProcessTests() : QemuEmbedProcessTests("virt-cli-qemu-ext-", "test")
{
    [Test]
    public void DiskspecsAndAMemspecMakeADiskOnlyExternalSnapshotThatRevertsWithRunning()
    {
        string vdb = DefineAndStart("test", "vda", "vdb")[1];
        string overlay = Path.Combine(Root, "vda-s1.qcow2");

        var created = Virt("snapshot-create-as", "test", "s1", "--disk-only", "--diskspec", $"vda,snapshot=external,file={overlay}",
            "--diskspec", "vdb,snapshot=no", "--memspec", "snapshot=no");
        var dumped = Virt("snapshot-dumpxml", "test", "s1");
        var live = Virt("dumpxml", "test");
        var reverted = Virt("snapshot-revert", "test", "s1", "--running");
        var afterRevert = Virt("dumpxml", "test");

        Assert.Multiple(() =>
        {
            Assert.That((created.ExitCode, created.Stdout, created.Stderr), Is.EqualTo((0, "Domain snapshot s1 created\n", "")));
            Assert.That(dumped.Stdout, Does.Contain("<state>disk-snapshot</state>").And.Contain("<memory snapshot='no'/>")
                .And.Contain($"<disk name='vda' snapshot='external' type='file'>\n      <driver type='qcow2'/>\n      <source file='{overlay}'/>")
                .And.Contain("<disk name='vdb' snapshot='no'/>"));
            Assert.That(live.Stdout, Does.Contain($"<source file='{overlay}' index=").And.Contain($"<source file='{vdb}' index="));
            Assert.That((reverted.ExitCode, reverted.Stderr), Is.EqualTo((0, "")));
            Assert.That(afterRevert.Stdout, Does.Contain("<source file='" + Path.Combine(Root, "vda.")).And.Not.Contain(overlay));
            Assert.That(File.Exists(overlay), Is.False, "the overlay of the state left is removed");
            Assert.That(Virt("domstate", "test").Stdout, Is.EqualTo("running\n\n"));
        });
    }
}
