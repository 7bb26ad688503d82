using System.Diagnostics;
using System.Globalization;
using Virt.Drivers;
using Virt.Qemu.Driver;

namespace Virt.Qemu.Tests.Driver;

/// <summary>
/// QEMU's second monitor, which one process at a time keeps open (its flock lease <c>run/NAME/events.lease</c>, seen in
/// /proc/locks): another process still controls the domain through the per-call monitor, the holder sees what that
/// process did, and when the holder is killed the lease and the monitor pass to the next process that asks.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[NonParallelizable]
public class MonitorLeaseTests : QemuRootTest
{
    [Test]
    public void AnotherProcessControlsTheDomainWhileThisOneHoldsTheMonitor()
    {
        var vm = Conn.DefineDomain(GuestDomains.Bare("vm"));
        vm.Start();
        Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running));
        Assert.That(LeaseHolders(), Is.EqualTo(new[] { Environment.ProcessId }), "the process that asked holds the lease");

        var (code, output) = Finish(StartChild("suspend"));

        Assert.Multiple(() =>
        {
            Assert.That((code, output), Is.EqualTo((0, "Paused\n")), "the other process suspended it through qmp.sock");
            Assert.That(vm.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Paused, (int)DomainPausedReason.User)), "seen through the held monitor");
            Assert.That(LeaseHolders(), Is.EqualTo(new[] { Environment.ProcessId }), "the lease stays");
        });
    }

    [Test]
    public void WhenTheHolderIsKilledTheNextProcessTakesTheMonitor()
    {
        using var holder = StartChild("start-hold");
        Assert.That(holder.StandardOutput.ReadLine(), Is.EqualTo("held"), holder.HasExited ? holder.StandardError.ReadToEnd() : "the child started the domain");
        Assert.That(LeaseHolders(), Is.EqualTo(new[] { holder.Id }), "the child holds the lease");

        holder.Kill();
        holder.WaitForExit();
        var vm = Conn.LookupDomainByName("vm");

        Assert.Multiple(() =>
        {
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running), "QEMU outlives the process that started it");
            Assert.That(LeaseHolders(), Is.EqualTo(new[] { Environment.ProcessId }), "the lease passed to this process");
        });
        vm.Suspend();
        Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Paused), "and the monitor it holds works");
    }

    /// <summary>The child's side: <c>start-hold</c> defines and starts <c>vm</c>, asks its state (taking the lease),
    /// says <c>held</c> and waits to be killed; <c>suspend</c> suspends <c>vm</c> and prints its state.</summary>
    public static int RunAsChild(string[] args)
    {
        var registry = new VirtDriverRegistry();
        QemuDriver.Register(registry);
        using var conn = VirtConnection.Open("qemu:///embed?root=" + args[1], new VirtConnectionOptions { Registry = registry });
        if (args[2] == "start-hold")
        {
            var vm = conn.DefineDomain(GuestDomains.Bare("vm"));
            vm.Start();
            _ = vm.GetState();
            Console.WriteLine("held");
            Console.Out.Flush();
            Thread.Sleep(Timeout.Infinite);
        }

        var domain = conn.LookupDomainByName("vm");
        domain.Suspend();
        Console.WriteLine(domain.GetState().State);
        return 0;
    }

    /// <summary>The pids /proc/locks lists as holding an flock on the lease folder of <c>vm</c>.</summary>
    private int[] LeaseHolders()
    {
        string lease = Path.Combine(Root, "run", "vm", "events.lease");
        string inode = CheckedOutput("stat", "-c", "%i", lease).Trim();
        return [.. File.ReadAllLines("/proc/locks")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 5 && f[1] == "FLOCK" && f[5].Split(':')[^1] == inode)
            .Select(f => int.Parse(f[4], CultureInfo.InvariantCulture))];
    }

    private static string CheckedOutput(string program, params string[] args)
    {
        var (code, output) = Snapshots.SnapshotTest.Run(program, args);
        Assert.That(code, Is.Zero, output);
        return output;
    }

    private Process StartChild(string action)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { typeof(MonitorLeaseTests).Assembly.Location, "lease", Root, action })
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    private static (int ExitCode, string Output) Finish(Process child)
    {
        using (child)
        {
            var stderr = child.StandardError.ReadToEndAsync();
            string stdout = child.StandardOutput.ReadToEnd();
            Assert.That(child.WaitForExit(TimeSpan.FromMinutes(2)), Is.True, "the child process finished");
            return (child.ExitCode, stdout + stderr.Result);
        }
    }
}
