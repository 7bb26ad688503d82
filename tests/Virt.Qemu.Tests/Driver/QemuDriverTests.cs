using System.Diagnostics;
using Virt.Qemu.Driver.State;
using Virt.Qemu.Images;

namespace Virt.Qemu.Tests.Driver;

/// <summary>The QEMU driver through the public façade, on real QEMU 7.2 (TCG, no guest OS).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class QemuDriverTests : QemuRootTest
{
    [Test]
    public void ADomainRunsPausesResumesAndIsDestroyedWithLibvirtsReasons()
    {
        var dom = Conn.DefineDomain(Xml("web", Disk()));
        Assert.That(dom.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Shutoff, (int)DomainShutoffReason.Unknown)));

        dom.Start();
        Assert.That(dom.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Running, (int)DomainRunningReason.Booted)));
        Assert.That(dom.Id, Is.Not.Null);

        dom.Suspend();
        Assert.That(dom.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Paused, (int)DomainPausedReason.User)));
        dom.Resume();
        Assert.That(dom.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Running, (int)DomainRunningReason.Unpaused)));

        dom.Destroy();
        Assert.That(dom.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Shutoff, (int)DomainShutoffReason.Destroyed)));
        Assert.That(Directory.Exists(Path.Combine(Root, "run", "web")), Is.False, "runtime files go with QEMU");
    }

    [Test]
    public void StartPausedLeavesTheVcpusStopped()
    {
        var dom = Conn.DefineDomain(Xml("paused"));

        dom.Start(DomainStartFlags.Paused);

        Assert.That(dom.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Paused, (int)DomainPausedReason.User)));
        Assert.That(dom.MonitorCommand("""{"execute":"query-status"}"""), Does.Contain("\"status\": \"prelaunch\"").Or.Contain("\"status\":\"prelaunch\""));
    }

    [Test]
    public void AnotherConnectionTakesOverARunningDomainAndSeesItCrashWhenQemuIsKilled()
    {
        var dom = Conn.DefineDomain(Xml("taken"));
        dom.Start();
        int pid = Pid("taken");

        using (var other = Open())
        {
            var same = other.LookupDomainByName("taken");
            Assert.That(same.GetState().State, Is.EqualTo(DomainState.Running));
            Assert.That(same.Id, Is.EqualTo(dom.Id));
            same.Suspend();
        }

        Assert.That(dom.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Paused, (int)DomainPausedReason.User)));
        Process.GetProcessById(pid).Kill();
        WaitUntil(() => !File.Exists($"/proc/{pid}/stat") || File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal));

        Assert.That(dom.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Shutoff, (int)DomainShutoffReason.Crashed)));
        Assert.That(dom.IsActive, Is.False);
        Assert.That(Directory.Exists(Path.Combine(Root, "run", "taken")), Is.False, "a dead QEMU's runtime files are removed");
    }

    [Test]
    public void EveryChangeThisConnectionMakesOrNoticesIsALifecycleEvent()
    {
        var seen = new System.Collections.Concurrent.BlockingCollection<string>();
        Conn.DomainLifecycle += (_, e) => seen.Add($"{e.Domain.Name} {e.Type} {e.Detail}");
        var dom = Conn.DefineDomain(Xml("ev"));
        dom.Start();
        dom.Suspend();
        dom.Resume();
        dom.Destroy();
        dom.Start(DomainStartFlags.Paused);
        Process.GetProcessById(Pid("ev")).Kill();
        WaitUntil(() => !dom.IsActive);
        dom.Undefine();

        var expected = new[]
        {
            $"ev {DomainEventType.Defined} {(int)DomainEventDefinedDetail.Added}",
            $"ev {DomainEventType.Started} {(int)DomainEventStartedDetail.Booted}",
            $"ev {DomainEventType.Suspended} {(int)DomainEventSuspendedDetail.Paused}",
            $"ev {DomainEventType.Resumed} {(int)DomainEventResumedDetail.Unpaused}",
            $"ev {DomainEventType.Stopped} {(int)DomainEventStoppedDetail.Destroyed}",
            $"ev {DomainEventType.Started} {(int)DomainEventStartedDetail.Booted}",
            $"ev {DomainEventType.Suspended} {(int)DomainEventSuspendedDetail.Paused}",
            $"ev {DomainEventType.Stopped} {(int)DomainEventStoppedDetail.Failed}",
            $"ev {DomainEventType.Undefined} {(int)DomainEventUndefinedDetail.Removed}",
        };
        var got = new List<string>();
        while (got.Count < expected.Length && seen.TryTake(out string? e, TimeSpan.FromSeconds(10)))
        {
            got.Add(e);
        }

        Assert.That(got, Is.EqualTo(expected));
    }

    [Test]
    public void AQemuKilledBehindTheConnectionsBackIsNoticedWithoutACall()
    {
        var stops = new System.Collections.Concurrent.BlockingCollection<DomainLifecycleEventArgs>();
        Conn.DomainLifecycle += (_, e) =>
        {
            if (e.Type == DomainEventType.Stopped)
            {
                stops.Add(e);
            }
        };
        var dom = Conn.DefineDomain(Xml("watched"));
        dom.Start();

        Process.GetProcessById(Pid("watched")).Kill();

        Assert.That(stops.TryTake(out var stopped, TimeSpan.FromSeconds(30)), Is.True, "the watcher publishes the stop");
        Assert.That((stopped!.Domain.Name, stopped.Detail), Is.EqualTo(("watched", (int)DomainEventStoppedDetail.Failed)));
        Assert.That(Directory.Exists(Path.Combine(Root, "run", "watched")), Is.False, "the watcher settled the domain: its runtime files are gone");
        Assert.That(dom.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Shutoff, (int)DomainShutoffReason.Crashed)));
    }

    [Test]
    public void ATransientDomainVanishesWhenItStops()
    {
        var dom = Conn.DefineDomain(Xml("brief"));
        dom.Start();
        dom.Undefine();
        Assert.That(dom.IsPersistent, Is.False);
        Assert.That(Conn.LookupDomainByName("brief").IsActive, Is.True);

        dom.Destroy();

        var ex = Assert.Throws<VirtException>(() => Conn.LookupDomainByName("brief"));
        Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.NoDomain));
    }

    [Test]
    public void WhatCannotStartIsRefusedBeforeQemuRunsAndChangesNothing()
    {
        string raw = Path.Combine(Root, "raw.img");
        File.WriteAllBytes(raw, new byte[65536]);
        var missing = Conn.DefineDomain(Xml("missing", Disk(Path.Combine(Root, "nope.qcow2"))));
        var mismatch = Conn.DefineDomain(Xml("mismatch", Disk(raw)));

        var ex1 = Assert.Throws<VirtException>(() => missing.Start());
        var ex2 = Assert.Throws<VirtException>(() => mismatch.Start());

        Assert.That(ex1!.Message, Is.EqualTo($"Cannot access storage file '{Path.Combine(Root, "nope.qcow2")}' (disk 'vda'): No such file or directory"));
        Assert.That(ex2!.Message, Is.EqualTo($"unsupported configuration: disk 'vda': '{raw}' is a raw image, but <driver type='qcow2'> says qcow2"));
        Assert.That(missing.GetState().State, Is.EqualTo(DomainState.Shutoff));
        Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(Root, "run")).Where(e => !Path.GetFileName(e).StartsWith('.')), Is.Empty);
    }

    [Test]
    public void HostileNamesStayInTheirFoldersAndStateIsPrivate()
    {
        var dom = Conn.DefineDomain(Xml("..", Disk()));
        dom.Start();

        Assert.That(Directory.Exists(Path.Combine(Root, "domains", "%2E.")), Is.True);
        Assert.That(File.GetUnixFileMode(Path.Combine(Root, "domains", "%2E.")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        Assert.That(File.GetUnixFileMode(Path.Combine(Root, "domains", "%2E.", "domain.xml")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.GetUnixFileMode(Path.Combine(Root, "run", "%2E.", "status.json")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(Conn.ListAllDomains().Select(d => d.Name), Is.EqualTo(new[] { ".." }));
    }

    [Test]
    public void ASecondJobOnTheSameDomainWaitsThenSaysWhoHoldsIt()
    {
        var root = StateRoot.Embed(Root);
        using var held = DomainJob.Acquire(root, "busy", "snapshot-create", TimeSpan.FromSeconds(1));
        VirtException? error = null;
        var other = new Thread(() => error = Assert.Throws<VirtException>(() => DomainJob.Acquire(root, "busy", "start", TimeSpan.FromMilliseconds(200))));
        other.Start();
        other.Join();

        Assert.That(error!.Code, Is.EqualTo(VirtErrorCode.OperationTimeout));
        Assert.That(error.Message, Does.Match(@"^Timed out during operation: domain 'busy' is busy \(job snapshot-create since \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ, process \d+\)$"));
    }

    [Test]
    public void SixteenThreadsOnOneDomainEachGetAnAnswer()
    {
        var dom = Conn.DefineDomain(Xml("crowd"));
        dom.Start();
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var threads = Enumerable.Range(0, 16).Select(i => new Thread(() =>
        {
            try
            {
                for (int round = 0; round < 5; round++)
                {
                    if (i % 2 == 0)
                    {
                        dom.Suspend();
                    }
                    else
                    {
                        dom.Resume();
                    }

                    Assert.That(dom.GetState().State, Is.AnyOf(DomainState.Running, DomainState.Paused));
                }
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.That(failures, Is.Empty);
        dom.Resume();
        Assert.That(dom.GetState().State, Is.EqualTo(DomainState.Running));
    }

    private string Disk(string? path = null)
    {
        if (path is null)
        {
            path = Path.Combine(Root, "disk-" + Guid.NewGuid().ToString("N")[..6] + ".qcow2");
            QemuImage.Create(path, 1 << 20);
        }

        return $"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{path}'/><target dev='vda' bus='virtio'/></disk>";
    }

    private static string Xml(string name, string devices = "") => $"""
        <domain type='qemu'>
          <name>{System.Security.SecurityElement.Escape(name)}</name>
          <memory unit='MiB'>16</memory>
          <os><type arch='x86_64'>hvm</type></os>
          <devices>{devices}</devices>
        </domain>
        """;

    private int Pid(string name) => int.Parse(File.ReadAllText(Path.Combine(Root, "run", name, "qemu.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static void WaitUntil(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition() && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(10);
        }
    }
}
