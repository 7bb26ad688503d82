using System.Diagnostics;
using System.Text.RegularExpressions;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>The client against one real QEMU 7.2 shared by the fixture (tests here never kill it). Each test starts from
/// the same state whatever ran before it (see <see cref="ResetQemu"/>).</summary>
[TestFixture]
[NonParallelizable]
public sealed partial class QmpQemuTests
{
    private QemuProcess _qemu = null!;
    private QmpClient _client = null!;
    private StatusInfo? _initialStatus;

    [OneTimeSetUp]
    public void StartQemu()
    {
        _qemu = QemuProcess.Start();
        try
        {
            _client = QmpClient.Connect(_qemu.SocketPath);
            _initialStatus = _client.QueryStatus();
        }
        catch
        {
            _qemu.Dispose();
            throw;
        }
    }

    /// <summary>Puts the shared QEMU back as a test expects it: vCPUs stopped, no job left, no internal snapshot on
    /// disk0 and no extra block node, so that a test that failed halfway cannot change what the next one sees.</summary>
    [SetUp]
    public void ResetQemu()
    {
        if (_client.QueryStatus().Running)
        {
            _client.Stop();
        }

        foreach (var job in _client.QueryJobs())
        {
            _client.JobDismiss(job.Id);
        }

        foreach (var snapshot in _client.QueryNamedBlockNodes().Single(n => n.NodeName == "disk0").Image?.Snapshots ?? [])
        {
            _client.SnapshotDelete("reset-" + snapshot.Name, snapshot.Name, ["disk0"]);
        }

        if (_client.QueryNamedBlockNodes().Any(n => n.NodeName == "extra0"))
        {
            _client.BlockdevDel("extra0");
        }
    }

    [OneTimeTearDown]
    public void StopQemu()
    {
        _client?.Dispose();
        _qemu?.Dispose();
    }

    [Test]
    public void QueryStatusOfQemuStartedWithSIsPrelaunch()
    {
        Assert.That(_initialStatus, Is.EqualTo(new StatusInfo(false, "prelaunch")));
    }

    [Test]
    public void GreetingVersionEqualsQemuSystemVersion()
    {
        var match = VersionLine().Match(QemuProcess.Run("qemu-system-x86_64", "-version"));
        Assert.That(match.Success, Is.True);
        var expected = new Version(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture));
        var version = _client.QueryVersion();
        Assert.Multiple(() =>
        {
            Assert.That(_client.Greeting.Version, Is.EqualTo(expected));
            Assert.That(_client.Greeting.Package, Is.EqualTo(match.Groups[4].Value));
            Assert.That(_client.Greeting.Capabilities, Is.EqualTo(new[] { "oob" }));
            Assert.That(_client.Connection.OutOfBandEnabled, Is.True);
            Assert.That(_client.Connection.State, Is.EqualTo(QmpState.Running));
            Assert.That(new Version(version.Qemu.Major, version.Qemu.Minor, version.Qemu.Micro), Is.EqualTo(expected));
            Assert.That(version.Package, Is.EqualTo(match.Groups[4].Value));
        });
    }

    [Test]
    public void StopAndContRaiseStopAndResume()
    {
        using var events = _client.Connection.SubscribeQueue(new QmpEventFilter(["STOP", "RESUME"]));
        _client.Cont();
        Assert.That(events.Take(TimeSpan.FromSeconds(10))?.Name, Is.EqualTo("RESUME"));
        Assert.That(_client.QueryStatus(), Is.EqualTo(new StatusInfo(true, "running")));

        _client.Stop();
        var stop = events.Take(TimeSpan.FromSeconds(10));
        Assert.That(stop?.Name, Is.EqualTo("STOP"));
        Assert.That(stop!.Timestamp, Is.GreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5)));
        Assert.That(_client.QueryStatus(), Is.EqualTo(new StatusInfo(false, "paused")));
    }

    [Test]
    public void UnknownCommandFailsWithQemusErrorClassAndText()
    {
        var e = Assert.Throws<QmpCommandException>(() => _client.Execute("no-such-command"))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.ErrorClass, Is.EqualTo("CommandNotFound"));
            Assert.That(e.Description, Is.EqualTo("The command no-such-command has not been found"));
            Assert.That(e.Message, Is.EqualTo("operation failed: QEMU command 'no-such-command' failed (CommandNotFound): The command no-such-command has not been found"));
        });
    }

    [Test]
    public void SnapshotSaveWithUnknownVmstateNodeFailsWithQemusTextAndDismissesTheJob()
    {
        var e = Assert.Throws<VirtException>(() => _client.SnapshotSave("fail-1", "never", "nonode", ["disk0"]))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationFailed));
            Assert.That(e.Message, Is.EqualTo("operation failed: QEMU job 'fail-1' (snapshot-save) failed: vmstate block device 'nonode' does not exist"));
            Assert.That(_client.QueryJobs(), Is.Empty);
        });
    }

    [Test]
    public void SnapshotDeleteOfMissingTagSucceedsAsQemuIgnoresItWithProgress()
    {
        var reports = new List<VirtProgress>();
        _client.SnapshotDelete("del-1", "absent", ["disk0"], new SyncProgress(reports.Add));
        TestContext.Out.WriteLine("progress reports: " + string.Join(", ", reports));

        // The job ends too quickly for a query-jobs poll to be guaranteed: this checks the final report,
        // which RunJob adds from QEMU's concluded job (total-progress), and that polled ones, if any, agree.
        Assert.Multiple(() =>
        {
            Assert.That(reports, Is.Not.Empty);
            Assert.That(reports[^1], Is.EqualTo(new VirtProgress("snapshot-delete", 1, 1)), "QEMU's snapshot-delete job counts one step");
            Assert.That(reports.Select(r => r.Operation), Is.All.EqualTo("snapshot-delete"));
            Assert.That(reports.Select(r => r.Current), Is.Ordered, "progress never goes back");
            Assert.That(reports.All(r => r.Current <= r.Total), Is.True);
            Assert.That(_client.QueryJobs(), Is.Empty);
        });
    }

    [Test]
    public void HumanMonitorCommandReturnsHmpText()
    {
        var version = _client.QueryVersion();
        Assert.That(_client.HumanMonitorCommand("info version"),
            Is.EqualTo($"{version.Qemu.Major}.{version.Qemu.Minor}.{version.Qemu.Micro}{version.Package}\r\n"));
    }

    [Test]
    public void RawPassthroughReturnsQemusJson()
    {
        var version = _client.QueryVersion();
        Assert.That(_client.ExecuteRaw("{\"execute\": \"query-version\", \"id\": 7}"),
            Is.EqualTo("{\"return\":{\"qemu\":{\"micro\":" + version.Qemu.Micro + ",\"minor\":" + version.Qemu.Minor + ",\"major\":" + version.Qemu.Major
                + "},\"package\":\"" + version.Package + "\"},\"id\":7}"));
    }

    [Test]
    public void SchemaProbeKnowsQemu72Commands()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_client.SupportsSnapshotJobs, Is.True);
            Assert.That(_client.HasCommand("blockdev-create"), Is.True);
            Assert.That(_client.HasCommand("no-such-command"), Is.False);
            Assert.That(_client.HasEvent("JOB_STATUS_CHANGE"), Is.True);
        });
    }

    [Test]
    public void QueryBlockAndNamedNodesShowTheQcow2Disk()
    {
        var block = _client.QueryBlock();
        var nodes = _client.QueryNamedBlockNodes();
        Assert.Multiple(() =>
        {
            Assert.That(block, Has.Count.EqualTo(1));
            Assert.That(block[0].Inserted?.NodeName, Is.EqualTo("disk0"));
            Assert.That(block[0].Inserted?.Drv, Is.EqualTo("qcow2"));
            Assert.That(block[0].Inserted?.File, Is.EqualTo(_qemu.DiskPath));
            Assert.That(nodes.Select(n => (n.NodeName, n.Drv)), Is.EquivalentTo(new[] { ("disk0", "qcow2"), ("file0", "file") }));
            Assert.That(nodes.Single(n => n.NodeName == "disk0").Image?.VirtualSize, Is.EqualTo(16L * 1024 * 1024));
        });
    }

    [Test]
    public void SixteenThreadsEachGetTheirOwnReplies()
    {
        const int Threads = 16;
        const int Rounds = 40;
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var barrier = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            barrier.SignalAndWait();
            for (int i = 0; i < Rounds; i++)
            {
                try
                {
                    string payload = $"virt-thread-{t}-call-{i}";
                    string reply = _client.HumanMonitorCommand(payload);
                    if (reply != $"unknown command: '{payload}'\r\n")
                    {
                        failures.Add(payload + " got " + reply);
                    }

                    if (_client.QueryStatus().Running)
                    {
                        failures.Add(payload + " saw a running VM");
                    }
                }
#pragma warning disable CA1031
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failures.Add(e.Message);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        Assert.That(threads.All(t => t.Join(TimeSpan.FromSeconds(60))), Is.True);
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void SnapshotSaveLoadDeleteRoundTripLeavesNoSnapshot()
    {
        _client.SnapshotSave("rt-save", "round", "disk0", ["disk0"]);
        var afterSave = _client.QueryNamedBlockNodes().Single(n => n.NodeName == "disk0").Image?.Snapshots;
        _client.SnapshotLoad("rt-load", "round", "disk0", ["disk0"]);
        _client.SnapshotDelete("rt-delete", "round", ["disk0"]);
        var afterDelete = _client.QueryNamedBlockNodes().Single(n => n.NodeName == "disk0").Image?.Snapshots;
        Assert.Multiple(() =>
        {
            Assert.That(afterSave?.Select(x => x.Name), Is.EqualTo(new[] { "round" }));
            Assert.That(afterDelete ?? [], Is.Empty);
            Assert.That(_client.QueryJobs(), Is.Empty);
        });
    }

    [Test]
    public void BlockdevAddAndDelShowInNamedNodes()
    {
        using var options = System.Text.Json.JsonDocument.Parse("{\"driver\": \"null-co\", \"node-name\": \"extra0\", \"size\": 1048576}");
        _client.BlockdevAdd(options.RootElement);
        bool added = _client.QueryNamedBlockNodes().Any(n => n.NodeName == "extra0" && n.Drv == "null-co");
        _client.BlockdevDel("extra0");
        Assert.Multiple(() =>
        {
            Assert.That(added, Is.True);
            Assert.That(_client.QueryNamedBlockNodes().Select(n => n.NodeName), Has.No.Member("extra0"));
            Assert.That(Assert.Throws<QmpCommandException>(() => _client.BlockdevDel("extra0"))!.Description, Is.EqualTo("Failed to find node with node-name='extra0'"));
        });
    }

    [Test]
    public void PmemsaveWritesGuestMemoryToAFile()
    {
        string file = Path.Combine(_qemu.Folder, "mem.bin");
        _client.Pmemsave(0, 4096, file);
        Assert.That(new FileInfo(file).Length, Is.EqualTo(4096));
    }

    [Test]
    public void MigrationFamilySetsCapabilitiesAndParametersQueryShowsNoMigration()
    {
        _client.MigrateSetCapabilities([new MigrationCapabilityStatus("events", true)]);
        using var limit = System.Text.Json.JsonDocument.Parse("123456789");
        _client.MigrateSetParameters(new Dictionary<string, System.Text.Json.JsonElement> { ["max-bandwidth"] = limit.RootElement });
        using var parameters = _client.Connection.Execute("query-migrate-parameters");
        Assert.Multiple(() =>
        {
            Assert.That(parameters.RootElement.GetProperty("return").GetProperty("max-bandwidth").GetInt64(), Is.EqualTo(123456789));
            Assert.That(_client.QueryMigrate(), Is.EqualTo(new MigrationInfo(null, null, null, null)));
        });
    }

    [GeneratedRegex(@"version (\d+)\.(\d+)\.(\d+)(?: \((.*)\))?")]
    private static partial Regex VersionLine();

    private sealed class SyncProgress(Action<VirtProgress> report) : IProgress<VirtProgress>
    {
        public void Report(VirtProgress value) => report(value);
    }
}

/// <summary>Tests that end their QEMU (quit, SIGKILL): one QEMU each.</summary>
[TestFixture]
[NonParallelizable]
public sealed class QmpQemuLifetimeTests
{
    [Test]
    public void SnapshotSaveSucceedsAndQemuImgListsItAfterQuit()
    {
        using var qemu = QemuProcess.Start();
        using (var client = QmpClient.Connect(qemu.SocketPath))
        {
            client.SnapshotSave("save-1", "first", "disk0", ["disk0"]);
            Assert.That(client.QueryJobs(), Is.Empty);
            var snapshots = client.QueryNamedBlockNodes().Single(n => n.NodeName == "disk0").Image?.Snapshots;
            Assert.That(snapshots?.Select(s => s.Name), Is.EqualTo(new[] { "first" }));
            Assert.That(snapshots![0].VmStateSize, Is.GreaterThan(0));
            client.Quit();
            Assert.That(qemu.WaitForExit(TimeSpan.FromSeconds(20)), Is.True);
            QmpFakeServerTests.AssertBroken(() => client.QueryStatus(), "End of file from QEMU monitor: QEMU exited or closed the connection");
        }

        string list = QemuProcess.Run("qemu-img", "snapshot", "-l", qemu.DiskPath);
        Assert.That(list, Does.Match(@"\n1\s+first\s+\d"));
    }

    [Test]
    public void QemuKilledDuringACallFailsThatCallAndEveryLaterOne()
    {
        using var qemu = QemuProcess.Start();
        var logs = new ListLoggerFactory();
        using var client = QmpClient.Connect(qemu.SocketPath, new QmpClientOptions { LoggerFactory = logs });
        qemu.Signal(19); // SIGSTOP: QEMU cannot answer, so the next call is surely pending.
        var caller = new PendingCall(() => client.QueryStatus());
        Assert.That(logs.WaitFor(m => m.StartsWith("QMP >> {\"execute\":\"query-status\"", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), Is.True,
            "the command must have been written before QEMU is killed");
        long killedAt = Stopwatch.GetTimestamp();
        qemu.Signal(9);
        Assert.That(caller.Join(TimeSpan.FromSeconds(10)), Is.True, "the pending call must return once QEMU is dead");
        var failure = caller.Failure;
        var failedAfter = Stopwatch.GetElapsedTime(killedAt, caller.FailedAt);
        TestContext.Out.WriteLine($"pending call failed {failedAfter.TotalMilliseconds:0.0} ms after SIGKILL");

        // The requirement is 1 s (measured: tens of ms); this generous bound only guards against a hang
        // or a call that waits out its own 10 s timeout instead of noticing the dead QEMU.
        Assert.That(failedAfter, Is.LessThan(TimeSpan.FromSeconds(3)));

        Assert.That(failure, Is.TypeOf<QmpConnectionException>());
        var reason = ((QmpConnectionException)failure!).Reason;
        Assert.That(reason, Is.EqualTo("End of file from QEMU monitor: QEMU exited or closed the connection"));
        long later = Stopwatch.GetTimestamp();
        QmpFakeServerTests.AssertBroken(() => client.QueryStatus(), reason);
        QmpFakeServerTests.AssertBroken(() => client.SnapshotSave("j", "t", "disk0", ["disk0"]), reason);
        TestContext.Out.WriteLine($"two later calls failed in {Stopwatch.GetElapsedTime(later).TotalMilliseconds:0.0} ms");
        Assert.That(client.Connection.State, Is.EqualTo(QmpState.Broken));
    }
}
