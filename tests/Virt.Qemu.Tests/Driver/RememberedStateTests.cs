using System.Globalization;
using System.Text.Json.Nodes;

namespace Virt.Qemu.Tests.Driver;

/// <summary>
/// The state query answers from memory while this process holds the domain's monitor: each test changes the domain
/// behind that memory (another process, QEMU's death, the status file itself) and asks again, at once; a memory that
/// went stale would answer the old state.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[NonParallelizable]
public class RememberedStateTests : QemuRootTest
{
    [Test]
    public void AStopPassedThroughByAnotherProcessIsSeenAtOnce()
    {
        var vm = StartRemembered();

        Assert.That(MonitorEventTests.RunChild(Root, "hmp", "stop"), Is.EqualTo((0, "")));

        Assert.That(vm.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Paused, (int)DomainPausedReason.User)));
    }

    [Test]
    public void ASuspendAndResumeByAnotherProcessAreSeenAtOnce()
    {
        var vm = StartRemembered();

        Assert.That(MonitorEventTests.RunChild(Root, "suspend"), Is.EqualTo((0, "")));
        Assert.That(vm.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Paused, (int)DomainPausedReason.User)));
        Assert.That(vm.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Paused, (int)DomainPausedReason.User)), "remembered");

        Assert.That(MonitorEventTests.RunChild(Root, "resume"), Is.EqualTo((0, "")));
        Assert.That(vm.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Running, (int)DomainRunningReason.Unpaused)));
    }

    [Test]
    public void AKilledQemuIsShutOffAtOnce()
    {
        var vm = StartRemembered();
        int pid = int.Parse(File.ReadAllText(Path.Combine(Root, "run", "vm", "qemu.pid")).Trim(), CultureInfo.InvariantCulture);

        System.Diagnostics.Process.GetProcessById(pid).Kill();
        long deadline = Environment.TickCount64 + 30_000;
        while (IsRunning(pid) && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(10);
        }

        Assert.That(vm.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Shutoff, (int)DomainShutoffReason.Crashed)));
    }

    [Test]
    public void ADomainDestroyedAndStartedAgainByAnotherProcessIsSeenAsItIsNow()
    {
        var vm = StartRemembered();

        Assert.That(MonitorEventTests.RunChild(Root, "restart-paused"), Is.EqualTo((0, "")));

        Assert.That(vm.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Paused, (int)DomainPausedReason.User)));
        vm.Resume();
        Assert.That(vm.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Running, (int)DomainRunningReason.Unpaused)), "and the new QEMU's monitor works");
    }

    [Test]
    public void AStatusFileRewrittenIsReadAgain()
    {
        var vm = StartRemembered();
        string file = Path.Combine(Root, "run", "vm", "status.json");
        var status = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        string reason = status.Select(p => p.Key).Single(k => k.Equals("reason", StringComparison.OrdinalIgnoreCase));
        status[reason] = (int)DomainRunningReason.Unpaused;

        File.WriteAllText(file + ".new", status.ToJsonString());
        File.Move(file + ".new", file, overwrite: true);

        Assert.That(vm.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Running, (int)DomainRunningReason.Unpaused)));
    }

    /// <summary>Defines and starts <c>vm</c> (no guest) and asks its state twice: this process holds its monitor and remembers it running.</summary>
    private IVirtDomain StartRemembered()
    {
        var vm = Conn.DefineDomain(GuestDomains.Bare("vm"));
        vm.Start();
        var booted = new DomainStateInfo(DomainState.Running, (int)DomainRunningReason.Booted);
        Assert.That(vm.GetState(), Is.EqualTo(booted));
        Assert.That(vm.GetState(), Is.EqualTo(booted));
        return vm;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
