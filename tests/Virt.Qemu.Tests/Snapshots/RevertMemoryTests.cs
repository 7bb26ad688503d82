using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Virt.Drivers;
using Virt.Qemu.Driver;
using Virt.Qemu.Driver.State;
using Virt.Qemu.Qmp;
using Virt.Qemu.Tests.Qmp;
using Virt.Qemu.Tests.Snapshots.External;

namespace Virt.Qemu.Tests.Snapshots;

/// <summary>
/// A revert in place by the process that holds the domain's monitor takes QEMU's run state and disk nodes from what
/// that process last settled with QEMU, as a state query does (Driver/README "State queries"): a repeated revert sends
/// QEMU the raw sequence and nothing more, while a change since (a QEMU event, a rewritten status file) makes it ask
/// QEMU again. The commands are those the connection logs as sent.
/// </summary>
public sealed partial class RevertMemoryTests : ExternalSnapshotTest
{
    [Test]
    public void ARepeatedRevertInPlaceSendsQemuOnlyStopLoadDismissAndCont()
    {
        var (conn, sent) = OpenLogged();
        using (conn)
        {
            var vm = StartedWithSnapshot(conn, "a");
            vm.LookupSnapshot("a").Revert();
            sent.Entries.Clear();

            vm.LookupSnapshot("a").Revert();

            Assert.Multiple(() =>
            {
                Assert.That(Commands(sent), Is.EqualTo(new[] { "stop", "snapshot-load", "job-dismiss", "cont" }), "no query-jobs for a job that never went through aborting");
                Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running));
            });
        }
    }

    [Test]
    public void ALoadThatQemuFailsLeavesTheRunningGuestRunningAndItsDisksAndTreeAsTheyWere()
    {
        var (conn, _) = OpenLogged();
        using (conn)
        {
            var vm = StartedWithSnapshot(conn, "a");
            WriteData(vm, 0xcc);
            var driver = new QemuDomainDriver(StateRoot.Embed(Root), NullLoggerFactory.Instance)
            {
                // After Virt checked the images, QEMU loses the snapshot: only QEMU's own load can fail now.
                Step = step =>
                {
                    if (step == "snapshot-revert:stopped")
                    {
                        using var behind = QmpClient.Connect(MonitorSocket());
                        foreach (string node in Nodes)
                        {
                            behind.ExecuteRaw("{\"execute\":\"blockdev-snapshot-delete-internal-sync\",\"arguments\":{\"device\":\"" + node + "\",\"name\":\"a\"}}");
                        }
                    }
                },
            };

            var e = Assert.Throws<VirtException>(() => driver.RevertToSnapshot(new SnapshotIdentity(new DomainIdentity(vm.Name, vm.Uuid), "a"), SnapshotRevertFlags.None, null, default))!;
            string qemuSays;
            using (var behind = QmpClient.Connect(MonitorSocket()))
            {
                qemuSays = behind.QueryStatus().Status;
            }

            Assert.Multiple(() =>
            {
                Assert.That(e.Message, Does.Contain("Snapshot 'a' does not exist in one or more devices"));
                Assert.That(qemuSays, Is.EqualTo("running"), "a failed load leaves the vCPUs stopped; the revert resumes them");
                Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running));
                Assert.That(vm.GetCurrentSnapshot().Name, Is.EqualTo("a"));
            });
            vm.Destroy();
            Assert.That(DataOf(vm), Is.EqualTo(new int?[] { 0xcc, 0xcc }), "nothing was reverted");
        }
    }

    [Test]
    public void APauseBehindTheDriversBackMakesTheNextRevertAskQemu()
    {
        var (conn, sent) = OpenLogged();
        using (conn)
        {
            var vm = StartedWithSnapshot(conn, "a");
            vm.LookupSnapshot("a").Revert();
            // A client of QEMU's own socket, with no job: only QEMU's STOP event tells the driver.
            using (var behind = QmpClient.Connect(MonitorSocket()))
            {
                behind.Stop();
            }

            Assert.That(() => vm.GetState().State, Is.EqualTo(DomainState.Paused).After(5000, 20), "the STOP event was heard");
            sent.Entries.Clear();

            vm.LookupSnapshot("a").Revert();

            Assert.Multiple(() =>
            {
                Assert.That(Commands(sent), Does.Contain("query-status"), "QEMU is asked again");
                Assert.That(Commands(sent), Does.Not.Contain("stop"), "a paused guest is not stopped again");
                Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running), "the snapshot was taken running");
            });
        }
    }

    [Test]
    public void ARevertAfterAnExternalSnapshotLoadsTheOverlaysNotTheNodesRememberedBefore()
    {
        var (conn, sent) = OpenLogged();
        using (conn)
        {
            var vm = StartedWithSnapshot(conn, "i0");
            vm.LookupSnapshot("i0").Revert();
            vm.CreateSnapshot(DiskOnly("e1"), SnapshotCreateFlags.DiskOnly);
            vm.CreateSnapshot("<domainsnapshot><name>i1</name></domainsnapshot>");
            WriteData(vm, 0xcc);
            sent.Entries.Clear();

            vm.LookupSnapshot("i1").Revert();

            Assert.Multiple(() =>
            {
                Assert.That(Commands(sent), Does.Contain("query-block"), "the status file changed: QEMU is asked for its nodes");
                Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running));
            });
            vm.Suspend();
            Assert.That(DataOf(vm), Is.All.EqualTo(0xbb), "reverted inside the overlays");
            vm.Resume();
        }
    }

    /// <summary>Domain <c>vm</c> started on <paramref name="conn"/> with both disks holding 0xbb, and internal snapshot
    /// <paramref name="name"/> of it.</summary>
    private IVirtDomain StartedWithSnapshot(IVirtConnection conn, string name)
    {
        DefineVm();
        var vm = conn.LookupDomainByName("vm");
        vm.Start();
        WriteData(vm, 0xbb);
        vm.CreateSnapshot($"<domainsnapshot><name>{name}</name></domainsnapshot>");
        return vm;
    }

    /// <summary>The QMP socket of domain <c>vm</c>'s QEMU (not the one the driver holds), as its status file records it.</summary>
    private string MonitorSocket() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "run", "vm", "status.json")))!["monitorSocket"]!.GetValue<string>();

    /// <summary>A connection to the root whose QMP traffic is logged, and the log. The connection is the first to reach
    /// the domain's monitor, so it is the one that holds it.</summary>
    private (IVirtConnection Connection, ListLoggerFactory Log) OpenLogged()
    {
        var registry = new VirtDriverRegistry();
        QemuDriver.Register(registry);
        var log = new ListLoggerFactory();
        return (VirtConnection.Open("qemu:///embed?root=" + Root, new VirtConnectionOptions { Registry = registry, LoggerFactory = log }), log);
    }

    /// <summary>The QMP commands sent since the log was last cleared, in order.</summary>
    private static string[] Commands(ListLoggerFactory log) =>
        [.. log.Entries.Where(e => e.Message.StartsWith("QMP >> ", StringComparison.Ordinal))
            .SelectMany(e => ExecuteName().Matches(e.Message).Select(m => m.Groups[1].Value))];

    [GeneratedRegex("\"execute\":\\s*\"([^\"]+)\"")]
    private static partial Regex ExecuteName();
}
