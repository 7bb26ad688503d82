using System.Collections.Concurrent;
using Virt.Qemu.Images;

namespace Virt.Qemu.Tests.Snapshots;

/// <summary>Creating internal snapshots on real QEMU: what each flag does, what is refused, and the events.</summary>
public sealed class SnapshotCreateTests : SnapshotTest
{
    private const string S = "<domainsnapshot><name>s</name></domainsnapshot>";

    [Test]
    public void ARunningDomainIsSavedIntoEveryDiskWithTheVmStateOnTheFirst()
    {
        var vm = DefineVm();
        vm.Start();

        vm.CreateSnapshot(S);

        var first = QemuImage.ListSnapshots(DisksOf()[0]).Single();
        var second = QemuImage.ListSnapshots(DisksOf()[1]).Single();
        Assert.Multiple(() =>
        {
            Assert.That((first.Name, second.Name), Is.EqualTo(("s", "s")));
            Assert.That(first.VmStateSize, Is.GreaterThan(0));
            Assert.That(second.VmStateSize, Is.Zero);
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running), "the guest runs on");
            Assert.That(vm.LookupSnapshot("s").GetXmlDescription(), Does.Contain("<state>running</state>").And.Contain("<memory snapshot='internal'/>"));
        });
    }

    [Test]
    public void CreatingOnARunningDomainSuspendsAndResumesItFromSnapshot()
    {
        var vm = DefineVm();
        vm.Start();
        var seen = new BlockingCollection<string>();
        Conn.DomainLifecycle += (_, e) => seen.Add($"{e.Type} {e.Detail}");

        vm.CreateSnapshot(S);

        var got = new List<string>();
        while (got.Count < 2 && seen.TryTake(out string? e, TimeSpan.FromSeconds(10)))
        {
            got.Add(e);
        }

        Assert.That(got, Is.EqualTo(new[]
        {
            $"{DomainEventType.Suspended} {(int)DomainEventSuspendedDetail.FromSnapshot}",
            $"{DomainEventType.Resumed} {(int)DomainEventResumedDetail.Unpaused}",
        }));
    }

    [Test]
    public void HaltShutsTheDomainOffFromSnapshot()
    {
        var vm = DefineVm();
        vm.Start();

        vm.CreateSnapshot(S, SnapshotCreateFlags.Halt);

        Assert.Multiple(() =>
        {
            Assert.That(vm.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Shutoff, (int)DomainShutoffReason.FromSnapshot)));
            Assert.That(Tags(DisksOf()[0]), Is.EqualTo(new[] { "s" }));
        });
    }

    [Test]
    public void NoMetadataTakesTheSnapshotWithoutRecordingIt()
    {
        var vm = DefineVm();

        vm.CreateSnapshot(S, SnapshotCreateFlags.NoMetadata);

        Assert.Multiple(() =>
        {
            Assert.That(vm.ListSnapshots(), Is.Empty);
            Assert.That(Tags(DisksOf()[0]), Is.EqualTo(new[] { "s" }));
            Assert.That(Tags(DisksOf()[1]), Is.EqualTo(new[] { "s" }));
        });
    }

    [Test]
    public void RedefiningWhatDumpXmlPrintedGivesTheSameSnapshotBack()
    {
        var vm = DefineVm();
        vm.Start();
        var s = vm.CreateSnapshot(S);
        string xml = s.GetXmlDescription();
        s.Delete(SnapshotDeleteFlags.MetadataOnly);
        Assert.That(Tags(DisksOf()[0]), Is.EqualTo(new[] { "s" }), "metadata only: the images keep it");

        var again = vm.CreateSnapshot(xml, SnapshotCreateFlags.Redefine | SnapshotCreateFlags.Current);

        Assert.Multiple(() =>
        {
            Assert.That(again.GetXmlDescription(), Is.EqualTo(xml));
            Assert.That(again.IsCurrent, Is.True);
        });
        again.Revert();
        Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running));
    }

    [Test]
    public void LiveIsRefusedAsLibvirtRefusesItForInternalSnapshots()
    {
        var vm = DefineVm();
        vm.Start();

        var ex = Assert.Throws<VirtException>(() => vm.CreateSnapshot(S, SnapshotCreateFlags.Live))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.OperationUnsupported));
            Assert.That(ex.Message, Does.EndWith("live snapshot creation is supported only during full system snapshots"));
            Assert.That(Tags(DisksOf()[0]), Is.Empty);
        });
    }

    [Test]
    public void ARawDiskIsRefusedWithLibvirtsMessage()
    {
        Directory.CreateDirectory(Path.Combine(Root, "images"));
        string raw = Path.Combine(Root, "images", "raw.img");
        File.WriteAllBytes(raw, new byte[1024 * 1024]);
        var vm = Conn.DefineDomain($"""
            <domain type='qemu'><name>raw</name><memory unit='MiB'>16</memory><os><type arch='x86_64'>hvm</type></os>
              <devices><disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='{raw}'/><target dev='vda' bus='virtio'/></disk></devices>
            </domain>
            """);

        var ex = Assert.Throws<VirtException>(() => vm.CreateSnapshot(S))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.ConfigUnsupported));
            Assert.That(ex.Message, Does.EndWith("internal snapshot for disk vda unsupported for storage type raw"));
        });
    }
}
