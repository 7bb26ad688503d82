using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Virt.Drivers;
using Virt.Qemu.Driver;

namespace Virt.Qemu.Tests.Driver;

/// <summary>
/// QEMU's events, received by the process that holds the domain's second monitor, published as libvirt's lifecycle
/// events: what another process (a child started from this assembly) or QEMU itself does is heard here once, with
/// libvirt 9.0's detail, and what this process does is published once.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[NonParallelizable]
public class MonitorEventTests : QemuRootTest
{
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(30);

    [Test]
    public void ASuspendByAnotherProcessIsASuspendedEventHere()
    {
        var vm = StartHeld();
        var events = Subscribe(Conn);

        Assert.That(Child("suspend"), Is.EqualTo((0, "")), "the other process suspended the domain");

        Assert.That(Next(events), Is.EqualTo("vm: Suspended Paused"));
        Assert.That(vm.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Paused, (int)DomainPausedReason.User)));
        AssertNoMoreBefore(events, vm);
    }

    [Test]
    public void AResumeByAnotherProcessIsAResumedEventHere()
    {
        var vm = StartHeld();
        vm.Suspend();
        var events = Subscribe(Conn);

        Assert.That(Child("resume"), Is.EqualTo((0, "")));

        Assert.That(Next(events), Is.EqualTo("vm: Resumed Unpaused"));
        Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running));
        AssertNoMoreBefore(events, vm);
    }

    [Test]
    public void AQuitFromAnotherProcessIsAShutdownByTheHostThenStoppedShutdown()
    {
        var vm = StartHeld();
        var events = Subscribe(Conn);

        _ = Child("hmp", "quit");

        // libvirt: SHUTDOWN with guest=false, then the monitor's end after a SHUTDOWN is a shutdown, not a crash.
        Assert.That(Next(events), Is.EqualTo("vm: Shutdown Host"));
        Assert.That(Next(events), Is.EqualTo("vm: Stopped Shutdown"));
        Assert.That(vm.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Shutoff, (int)DomainShutoffReason.Shutdown)));
        Assert.That(Directory.Exists(Path.Combine(Root, "run", "vm")), Is.False, "the domain was settled: its runtime files are gone");
    }

    [Test]
    public void AGuestThatPowersOffOnAnotherProcesssPowerButtonIsAShutdownByTheGuest()
    {
        var events = Subscribe(Conn);
        var vm = Conn.DefineDomain(GuestDomains.Guest("vm", "virt.interval=200"));
        vm.Start();
        _ = vm.GetState();
        Assert.That(Take(events, 2), Is.EqualTo(new[] { "vm: Defined Added", "vm: Started Booted" }));
        using (var console = new ConsoleReader(vm.OpenConsole()))
        {
            console.WaitFor("VIRT-GUEST COUNTER 2", TimeSpan.FromMinutes(3));
        }

        Assert.That(Child("hmp", "system_powerdown"), Is.EqualTo((0, "")));

        // The guest powers off: QEMU (-no-shutdown) says SHUTDOWN guest=true and waits; this process ends it at once.
        Assert.That(Next(events, TimeSpan.FromMinutes(3)), Is.EqualTo("vm: Shutdown Guest"));
        Assert.That(Next(events), Is.EqualTo("vm: Stopped Shutdown"));
        Assert.That(vm.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Shutoff, (int)DomainShutoffReason.Shutdown)));
    }

    [Test]
    public void AQemuKilledWithSigkillIsStoppedFailedAndShutOffCrashed()
    {
        var vm = StartHeld();
        var events = Subscribe(Conn);

        var clock = Stopwatch.StartNew();
        Process.GetProcessById(QemuPid()).Kill();

        Assert.That(Next(events), Is.EqualTo("vm: Stopped Failed"));
        TestContext.Out.WriteLine($"stopped failed published {clock.ElapsedMilliseconds} ms after the kill");
        Assert.That(vm.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Shutoff, (int)DomainShutoffReason.Crashed)));
        AssertNoMoreBefore(events, vm);
    }

    [Test]
    public void ThisProcesssOwnChangesArePublishedOnceOnEveryConnection()
    {
        using var other = Open();
        var mine = Subscribe(Conn);
        var theirs = Subscribe(other);
        var vm = StartHeld();

        vm.Suspend();
        vm.Resume();
        vm.MonitorCommand("stop", MonitorCommandFlags.Hmp);
        vm.Destroy();
        vm.Undefine();

        string[] expected =
        [
            "vm: Defined Added", "vm: Started Booted", "vm: Suspended Paused", "vm: Resumed Unpaused",
            "vm: Suspended Paused", "vm: Stopped Destroyed", "vm: Undefined Removed",
        ];
        Assert.Multiple(() =>
        {
            Assert.That(Take(mine, expected.Length), Is.EqualTo(expected), "the connection that made the changes");
            Assert.That(Take(theirs, expected.Length), Is.EqualTo(expected), "another connection of this process");
        });
    }

    /// <summary>The child's side: <c>suspend</c>, <c>resume</c> or <c>hmp COMMAND</c> on <c>vm</c>; <c>restart-paused</c>
    /// destroys <c>vm</c> and starts it paused. Prints nothing when all went well.</summary>
    public static int RunAsChild(string[] args)
    {
        var registry = new VirtDriverRegistry();
        QemuDriver.Register(registry);
        using var conn = VirtConnection.Open("qemu:///embed?root=" + args[1], new VirtConnectionOptions { Registry = registry });
        var vm = conn.LookupDomainByName("vm");
        switch (args[2])
        {
            case "suspend":
                vm.Suspend();
                break;
            case "resume":
                vm.Resume();
                break;
            case "hmp":
                try
                {
                    _ = vm.MonitorCommand(args[3], MonitorCommandFlags.Hmp);
                }
                catch (VirtException) when (args[3] == "quit")
                {
                    // QEMU may end before it answers.
                }

                break;
            case "restart-paused":
                vm.Destroy();
                vm.Start(DomainStartFlags.Paused);
                break;
            default:
                return 2;
        }

        return 0;
    }

    /// <summary>Defines and starts <c>vm</c> (no guest) and asks its state, so this process holds its monitor.</summary>
    private IVirtDomain StartHeld()
    {
        var vm = Conn.DefineDomain(GuestDomains.Bare("vm"));
        vm.Start();
        Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running));
        return vm;
    }

    private static BlockingCollection<string> Subscribe(IVirtConnection conn)
    {
        var events = new BlockingCollection<string>();
        conn.DomainLifecycle += (_, e) => events.Add(e.ToString());
        return events;
    }

    private static string? Next(BlockingCollection<string> events, TimeSpan? wait = null) =>
        events.TryTake(out string? e, wait ?? EventWait) ? e : null;

    private static List<string> Take(BlockingCollection<string> events, int count)
    {
        var got = new List<string>();
        while (got.Count < count && Next(events) is { } e)
        {
            got.Add(e);
        }

        return got;
    }

    /// <summary>Undefines <paramref name="vm"/> (shut off, or destroyed first) and asserts that its event is the next
    /// one: nothing was published twice before it.</summary>
    private static void AssertNoMoreBefore(BlockingCollection<string> events, IVirtDomain vm)
    {
        if (vm.IsActive)
        {
            vm.Destroy();
            Assert.That(Next(events), Is.EqualTo("vm: Stopped Destroyed"));
        }

        vm.Undefine();
        Assert.That(Next(events), Is.EqualTo("vm: Undefined Removed"));
    }

    private int QemuPid() => int.Parse(File.ReadAllText(Path.Combine(Root, "run", "vm", "qemu.pid")).Trim(), CultureInfo.InvariantCulture);

    private (int ExitCode, string Output) Child(params string[] args) => RunChild(Root, args);

    /// <summary>Runs this assembly as a child process (<see cref="RunAsChild"/>) on <paramref name="root"/> with <paramref name="args"/>.</summary>
    internal static (int ExitCode, string Output) RunChild(string root, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { typeof(MonitorEventTests).Assembly.Location, "events", root }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        var stderr = child.StandardError.ReadToEndAsync();
        string stdout = child.StandardOutput.ReadToEnd();
        Assert.That(child.WaitForExit(TimeSpan.FromMinutes(2)), Is.True, "the child process finished");
        return (child.ExitCode, stdout + stderr.Result);
    }
}
