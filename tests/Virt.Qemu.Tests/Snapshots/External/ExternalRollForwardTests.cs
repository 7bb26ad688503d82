namespace Virt.Qemu.Tests.Snapshots.External;

/// <summary>
/// A managing process killed right after the <c>transaction</c> of an external create, before the status, the persistent
/// definition and the metadata name the overlays: QEMU already writes into the overlays. The next job on the domain
/// finishes the create, so the guest's writes are in files the definitions name and survive a restart from the
/// persistent definition.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExternalRollForwardTests : ExternalSnapshotTest
{
    [Test]
    public void TheNextJobFinishesACreateWhoseProcessDiedAfterTheTransaction()
    {
        var vm = DefineVm();
        vm.Start();
        WriteData(vm, 0xaa);
        vm.CreateSnapshot(DiskOnly("a"), SnapshotCreateFlags.DiskOnly);
        WriteData(vm, 0xbb);
        FaultInjection.Inject(Root, "external", "external-create:transaction", Fault.ManagerKilled, "create");

        using var conn = Open();
        vm = conn.LookupDomainByName("vm");
        WriteData(vm, 0xdd);
        string[] overlays = [Path.Combine(Images, "vm-a.b"), Path.Combine(Images, "vm-b.b")];

        Assert.Multiple(() =>
        {
            Assert.That(vm.ListSnapshots().Select(s => s.Name).Order(StringComparer.Ordinal), Is.EqualTo(new[] { "a", "b" }), "the snapshot was recorded");
            Assert.That(vm.GetCurrentSnapshot().Name, Is.EqualTo("b"));
            Assert.That(ActiveFiles(vm), Is.EqualTo(overlays), "the live definition names the overlays QEMU runs on");
            Assert.That(ActiveFiles(vm, DomainXmlFlags.Inactive), Is.EqualTo(overlays), "and so does the persistent one");
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running));
        });

        vm.Destroy();
        vm.Start();
        vm.Suspend();
        Assert.Multiple(() =>
        {
            Assert.That(DataOf(vm), Is.All.EqualTo(0xdd), "a restart from the persistent definition sees the writes made after the transaction");
            Assert.That(new[] { Path.Combine(Images, "vm-a.a"), Path.Combine(Images, "vm-b.a") }.Select(DataOf), Is.All.EqualTo(0xbb), "b's point in time");
        });
        vm.Destroy();
        CheckFiles(vm);
    }

    [Test]
    public void AnIntentWhoseTransactionNeverRanIsDropped()
    {
        var vm = DefineVm();
        vm.Start();
        WriteData(vm, 0xaa);
        FaultInjection.Inject(Root, "external", "external-create:intent", Fault.ManagerKilled, "create");

        using var conn = Open();
        vm = conn.LookupDomainByName("vm");
        WriteData(vm, 0xdd);

        Assert.Multiple(() =>
        {
            Assert.That(vm.ListSnapshots(), Is.Empty, "nothing was taken");
            Assert.That(ActiveFiles(vm), Is.EqualTo(DisksOf()));
            Assert.That(File.Exists(Path.Combine(Root, "domains", "vm", "snapshots", ".external-intent")), Is.False, "the intent is gone");
        });
        vm.Destroy();
        Assert.That(DataOf(vm), Is.All.EqualTo(0xdd));
        vm.CreateSnapshot(DiskOnly("c"), SnapshotCreateFlags.DiskOnly);
        CheckFiles(vm);
    }
}
