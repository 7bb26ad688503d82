using Virt.Conf;
using Virt.Drivers;
using Virt.Qemu.Driver;
using Virt.Qemu.Driver.Snapshots;
using Virt.Snapshot;

namespace Virt.Qemu.Tests.Snapshots.ExternalDelete;

/// <summary>
/// A fault at each step of an external delete (offline commit, active commit with pivot, intermediate commit, stream):
/// the step fails, QEMU is killed there, or the managing process is (the delete runs in a child process, this
/// assembly, see <see cref="Program"/>). Afterwards, from a new connection: the tree holds the old or the new set,
/// every file a definition or snapshot needs exists and reads every layer's data, a revert to a snapshot whose merge did
/// not finish is refused, and deleting it again completes the delete with nothing leaked.
/// </summary>
public sealed class ExternalDeleteFaultTests : ExternalDeleteTest
{
    [Test]
    public void AFaultDuringAnOfflineCommitLeavesEveryLayerReadable(
        [Values("external-delete:marked", "external-delete:merged", "external-delete:rebased", "external-delete:renamed")] string step,
        [Values(Fault.Fails, Fault.ManagerKilled)] Fault fault)
    {
        var vm = Prepare("commit", running: false);
        Inject(step, fault, "s1");
        AssertRecoverable(fault, ["s1"], slots: 2);
    }

    [Test]
    public void AFaultDuringAnActiveCommitLeavesEveryLayerReadable(
        [Values("external-delete:marked", "external-delete:ready", "external-delete:merged", "external-delete:rebased", "external-delete:renamed")] string step,
        [Values] Fault fault)
    {
        var vm = Prepare("commit", running: true);
        Inject(step, fault, "s1");
        AssertRecoverable(fault, ["s1"], slots: 2);
    }

    [Test]
    public void AFaultDuringAnIntermediateCommitLeavesEveryLayerReadable(
        [Values("external-delete:marked", "external-delete:merged", "external-delete:rebased", "external-delete:renamed")] string step,
        [Values] Fault fault)
    {
        var vm = Prepare("intermediate", running: true);
        Inject(step, fault, "s1");
        AssertRecoverable(fault, ["s1", "s2"], slots: 3);
    }

    [Test]
    public void AFaultDuringAStreamLeavesEveryLayerReadable(
        [Values("external-delete:marked", "external-delete:rebased-branch", "external-delete:streamed")] string step,
        [Values] Fault fault)
    {
        // The branch QEMU runs is streamed by QEMU (only when running), the other one offline.
        bool running = fault != Fault.Fails || step == "external-delete:streamed";
        var vm = Prepare("stream", running);
        Inject(step, fault, "s1");
        AssertRecoverable(fault, ["s1", "s2"], slots: 1);
    }

    /// <summary>
    /// commit: s1 (current) over slot 0, slot 1 written after it. intermediate: s1, s2 (current), slots 0, 1, 2 before,
    /// between and after. stream: s1, s2, then a revert to s1 and slot 0 written in the new branch.
    /// </summary>
    private IVirtDomain Prepare(string scenario, bool running)
    {
        var vm = DefineVm();
        if (running && scenario != "stream")
        {
            vm.Start();
        }

        WriteSlot(vm, 0, 0x10);
        TakeExternal(vm, "s1");
        WriteSlot(vm, 1, 0x11);
        if (scenario == "intermediate")
        {
            TakeExternal(vm, "s2");
            WriteSlot(vm, 2, 0x12);
        }
        else if (scenario == "stream")
        {
            TakeExternal(vm, "s2");
            vm.LookupSnapshot("s1").Revert(running ? SnapshotRevertFlags.Running : SnapshotRevertFlags.None);
            WriteSlot(vm, 2, 0x13);
        }

        return vm;
    }

    /// <summary>Deletes <paramref name="snapshot"/> of domain <c>vm</c> (the operation the harness runs).</summary>
    internal static void Perform(QemuDomainDriver driver, string snapshot) =>
        driver.DeleteSnapshot(new SnapshotIdentity(driver.LookupDomainByName("vm"), snapshot), SnapshotDeleteFlags.None, null, default);

    private void Inject(string step, Fault fault, string snapshot) => FaultInjection.Inject(Root, "extdel", step, fault, snapshot);

    /// <summary>Checks the state the fault left, then deletes again until nothing of the snapshot is left, and checks again.</summary>
    private void AssertRecoverable(Fault fault, string[] before, int slots)
    {
        using var conn = Open();
        var vm = conn.LookupDomainByName("vm");
        string[] names = [.. vm.ListSnapshots().Select(s => s.Name).Order(StringComparer.Ordinal)];
        string[] after = [.. before.Skip(1)];
        Assert.That(names, Is.EqualTo(before).Or.EqualTo(after), "the old or the new set of snapshots");
        if (vm.IsActive)
        {
            vm.Destroy();
        }

        AssertNothingLost(vm, slots);
        if (names.Contains("s1"))
        {
            var s1 = vm.LookupSnapshot("s1");
            if (s1.GetXmlDescription().Contains("<snapshotDeleteInProgress/>", StringComparison.Ordinal))
            {
                var refused = Assert.Throws<VirtException>(() => s1.Revert())!;
                Assert.That(refused.Message, Does.Contain("was target of not completed snapshot delete"));
            }

            s1.Delete();
        }

        Assert.That(vm.ListSnapshots().Select(s => s.Name), Is.EqualTo(after));
        AssertNothingLost(vm, slots);
        Check(vm, allowLeakedClusters: fault != Fault.Fails);
    }

    /// <summary>Every referenced file exists, every chain can be followed and reads the data of every slot written.</summary>
    private void AssertNothingLost(IVirtDomain vm, int slots)
    {
        var snapshots = vm.ListSnapshots().Select(s => SnapshotDefinition.Parse(s.GetXmlDescription(), SnapshotParseFlags.Redefine)).ToList();
        var refs = ExternalReferences.Of([DomainDefinition.Parse(vm.GetXmlDescription(DomainXmlFlags.Inactive))], snapshots, null);
        Assert.Multiple(() =>
        {
            Assert.That(refs.Problems, Is.Empty, "every chain can be followed");
            Assert.That(refs.Files.Where(f => !File.Exists(f)), Is.Empty, "no referenced file was deleted");
        });
        byte?[] expected = slots switch
        {
            1 => [0x10, null, 0x13],
            2 => [0x10, 0x11],
            _ => [0x10, 0x11, 0x12],
        };
        for (int slot = 0; slot < expected.Length; slot++)
        {
            if (expected[slot] is { } pattern)
            {
                Assert.That(Reads(vm, slot, pattern), Is.True, $"slot {slot} reads as written");
            }
        }

        if (slots == 1)
        {
            Assert.That(Reads(vm, 1, 0x11), Is.False, "the branch the domain runs on does not see s2's writes");
        }
    }
}
