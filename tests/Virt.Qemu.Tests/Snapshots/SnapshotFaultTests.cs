using Virt.Drivers;
using Virt.Qemu.Driver;

namespace Virt.Qemu.Tests.Snapshots;

/// <summary>
/// A fault after each step of a create, a revert (in place and with a new QEMU) and a delete: the step fails (as a
/// command that fails would), QEMU is killed there, or the managing process is. Afterwards, seen from a new connection, the snapshot tree is
/// consistent and holds the old or the new set, current is one of the two, the domain is in a known state, a revert to
/// the snapshot taken before works, and every image passes <c>qemu-img check</c>.
/// </summary>
public sealed class SnapshotFaultTests : SnapshotTest
{
    [Test]
    public void ACreateFaultLeavesTheOldOrTheNewSnapshotsAndAWorkingDomain(
        [Values("snapshot-create:paused", "snapshot-create:taken", "snapshot-create:recorded")] string step, [Values] Fault fault)
    {
        var vm = RunningWithSnapshot();
        Inject(step, fault, "create");
        AssertRecoverable(["a"], ["a", "b"], fault);
    }

    [Test]
    public void AnInPlaceRevertFaultLeavesAConsistentTreeAndARevertThatWorks(
        [Values("snapshot-revert:stopped", "snapshot-revert:loaded", "snapshot-revert:reverted")] string step, [Values] Fault fault)
    {
        var vm = RunningWithSnapshot();
        vm.CreateSnapshot("<domainsnapshot><name>b</name></domainsnapshot>");
        Write(vm, 0xbb);
        Inject(step, fault, "revert");
        AssertRecoverable(["a", "b"], ["a", "b"], fault);
    }

    [Test]
    public void ARevertInANewQemuFaultLeavesAConsistentTreeAndARevertThatWorks(
        [Values("start:launched", "start:pid-recorded", "start:loaded", "start:resumed", "snapshot-revert:reverted")] string step, [Values] Fault fault)
    {
        var vm = RunningWithSnapshot();
        vm.CreateSnapshot("<domainsnapshot><name>b</name></domainsnapshot>");
        vm.Destroy();
        Inject(step, fault, "revert");
        AssertRecoverable(["a", "b"], ["a", "b"], fault);
    }

    [TestCase(true, Fault.Fails)]
    [TestCase(true, Fault.QemuKilled)]
    [TestCase(true, Fault.ManagerKilled)]
    [TestCase(false, Fault.Fails)]
    [TestCase(false, Fault.ManagerKilled)]
    public void ADeleteFaultLeavesTheOldOrTheNewSnapshots(bool running, Fault fault)
    {
        var vm = RunningWithSnapshot();
        vm.CreateSnapshot("<domainsnapshot><name>b</name></domainsnapshot>");
        if (!running)
        {
            vm.Destroy();
        }

        Inject("snapshot-delete:images", fault, "delete");
        AssertRecoverable(["a", "b"], ["a"], fault);
    }

    [Test]
    public void ASaveThatQemuRefusesLeavesTheGuestRunningAndNoMetadata()
    {
        var vm = RunningWithSnapshot();
        vm.CreateSnapshot("<domainsnapshot><name>b</name></domainsnapshot>", SnapshotCreateFlags.NoMetadata);

        var ex = Assert.Throws<VirtException>(() => vm.CreateSnapshot("<domainsnapshot><name>b</name></domainsnapshot>"))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Does.Contain("Snapshot 'b' already exists in one or more devices"), "QEMU's job error");
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running), "the guest runs again");
            Assert.That(vm.ListSnapshots().Select(s => s.Name), Is.EqualTo(new[] { "a" }));
            Assert.That(vm.GetCurrentSnapshot().Name, Is.EqualTo("a"));
        });
    }

    /// <summary>A running domain with snapshot <c>a</c> (current) of disks holding 0xaa.</summary>
    private IVirtDomain RunningWithSnapshot()
    {
        var vm = DefineVm();
        vm.Start();
        Write(vm, 0xaa);
        vm.CreateSnapshot("<domainsnapshot><name>a</name></domainsnapshot>");
        return vm;
    }

    /// <summary>The operation under test: create <c>b</c>, revert to <c>a</c>, or delete <c>b</c>, on domain <c>vm</c>.</summary>
    internal static void Perform(QemuDomainDriver driver, string operation)
    {
        var vm = driver.LookupDomainByName("vm");
        switch (operation)
        {
            case "create":
                driver.CreateSnapshot(vm, "<domainsnapshot><name>b</name></domainsnapshot>", SnapshotCreateFlags.None, null, default);
                break;
            case "revert":
                driver.RevertToSnapshot(new SnapshotIdentity(vm, "a"), SnapshotRevertFlags.None, null, default);
                break;
            default:
                driver.DeleteSnapshot(new SnapshotIdentity(vm, "b"), SnapshotDeleteFlags.None, null, default);
                break;
        }
    }

    private void Inject(string step, Fault fault, string operation) => FaultInjection.Inject(Root, "snapshot", step, fault, operation);

    private void AssertRecoverable(string[] before, string[] after, Fault fault)
    {
        using var conn = Open();
        var vm = conn.LookupDomainByName("vm");
        string[] names = [.. vm.ListSnapshots().Select(s => s.Name).Order(StringComparer.Ordinal)];
        Assert.Multiple(() =>
        {
            Assert.That(names, Is.EqualTo(before).Or.EqualTo(after), "the old or the new set of snapshots");
            foreach (string name in names)
            {
                var snapshot = vm.LookupSnapshot(name);
                if (snapshot.GetXmlDescription().Contains("<parent>", StringComparison.Ordinal))
                {
                    Assert.That(names, Does.Contain(snapshot.GetParent().Name), $"{name}'s parent exists");
                }
            }

            if (vm.HasCurrentSnapshot)
            {
                Assert.That(names, Does.Contain(vm.GetCurrentSnapshot().Name), "current exists");
            }

            Assert.That(vm.GetState().State, Is.AnyOf(DomainState.Running, DomainState.Paused, DomainState.Shutoff));
        });

        vm.LookupSnapshot("a").Revert();
        Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running), "a revert to the snapshot before works");
        vm.Destroy();
        Assert.That(Holds("vm", 0xaa), Is.True);
        AssertImagesClean(allowLeaks: fault != Fault.Fails);
    }
}
