using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Virt.Drivers;
using Virt.Qemu.Driver;
using Virt.Qemu.Driver.State;

namespace Virt.Qemu.Tests.Driver;

/// <summary>
/// The managing process killed (SIGKILL, no clean-up of any kind) after a given step of a start or a destroy. The test
/// assembly runs itself as that process (<see cref="Program"/>); the test then reopens the root and checks that the
/// domain is in the old or the new state, that no QEMU is left that nobody knows, and that the domain still works.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class ManagerCrashScenario
{
    private const string DomainXml = "<domain type='qemu'><name>vm</name><uuid>0b6f3f0e-8f5a-4c4e-9b43-3d1a61c2a7d1</uuid><memory unit='MiB'>16</memory><os><type arch='x86_64'>hvm</type></os></domain>";
    private static readonly DomainIdentity Vm = new("vm", Guid.Parse("0b6f3f0e-8f5a-4c4e-9b43-3d1a61c2a7d1"));
    private string _root = "";

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("virt-mgr-crash-").FullName;
        Connection().DefineDomain(DomainXml, DomainDefineFlags.None);
    }

    [TearDown]
    public void TearDown()
    {
        foreach (int pid in QemusOfRoot())
        {
            Process.GetProcessById(pid).Kill();
        }

        Directory.Delete(_root, recursive: true);
    }

    [TestCase("start:recorded", DomainState.Shutoff, (int)DomainShutoffReason.Failed)]
    [TestCase("start:pid-recorded", DomainState.Paused, (int)DomainPausedReason.User)]
    [TestCase("start:launched", DomainState.Paused, (int)DomainPausedReason.User)]
    [TestCase("start:resumed", DomainState.Running, (int)DomainRunningReason.Unknown)]
    public void AStartKilledAfterAnyStepLeavesAKnownDomain(string step, DomainState state, int reason)
    {
        Assert.That(RunChild("start", step), Is.EqualTo(137), "the child is killed at the step");
        // QEMU is recorded while it starts up: once it answers, it has started (until then it is "starting up").
        WaitForMonitorSocket();

        var conn = Connection();
        Assert.That(conn.GetDomainState(Vm), Is.EqualTo(new DomainStateInfo(state, reason)));
        Assert.That(QemusOfRoot(), Has.Count.EqualTo(state == DomainState.Shutoff ? 0 : 1), "no QEMU nobody knows");
        if (state != DomainState.Shutoff)
        {
            conn.DestroyDomain(Vm, DomainDestroyFlags.Default);
        }

        conn.StartDomain(Vm, DomainStartFlags.None, CancellationToken.None);
        Assert.That(conn.GetDomainState(Vm).State, Is.EqualTo(DomainState.Running));
        conn.DestroyDomain(Vm, DomainDestroyFlags.Default);
    }

    [Test]
    public void AStartWithAPtyKilledBeforeQemuIsRecordedEndsThatQemu()
    {
        // A pty's name is learnt from QEMU's monitor: QEMU is recorded only then, and found before by its pid file.
        Connection().DefineDomain(DomainXml.Replace("</os>", "</os><devices><serial type='pty'/></devices>", StringComparison.Ordinal), DomainDefineFlags.None);

        Assert.That(RunChild("start", "start:launched"), Is.EqualTo(137));

        var conn = Connection();
        Assert.That(conn.GetDomainState(Vm), Is.EqualTo(new DomainStateInfo(DomainState.Shutoff, (int)DomainShutoffReason.Failed)));
        Assert.That(QemusOfRoot(), Is.Empty, "no QEMU nobody knows");
        conn.StartDomain(Vm, DomainStartFlags.None, CancellationToken.None);
        Assert.That(conn.GetDomainState(Vm).State, Is.EqualTo(DomainState.Running));
        conn.DestroyDomain(Vm, DomainDestroyFlags.Default);
    }

    [TestCase("destroy:recorded", DomainState.Running, (int)DomainRunningReason.Booted)]
    [TestCase("destroy:stopped", DomainState.Shutoff, (int)DomainShutoffReason.Destroyed)]
    public void ADestroyKilledAfterAnyStepLeavesAKnownDomain(string step, DomainState state, int reason)
    {
        Connection().StartDomain(Vm, DomainStartFlags.None, CancellationToken.None);

        Assert.That(RunChild("destroy", step), Is.EqualTo(137));

        var conn = Connection();
        Assert.That(conn.GetDomainState(Vm), Is.EqualTo(new DomainStateInfo(state, reason)));
        Assert.That(QemusOfRoot(), Has.Count.EqualTo(state == DomainState.Shutoff ? 0 : 1));
        if (state != DomainState.Shutoff)
        {
            conn.DestroyDomain(Vm, DomainDestroyFlags.Default);
            Assert.That(conn.GetDomainState(Vm), Is.EqualTo(new DomainStateInfo(DomainState.Shutoff, (int)DomainShutoffReason.Destroyed)));
        }
    }

    /// <summary>The child's side: runs the operation, killing itself right after <c>args[2]</c>.</summary>
    public static int RunAsChild(string[] args)
    {
        if (args.Length != 3)
        {
            Console.Error.WriteLine("This is a test assembly; run it with dotnet test.");
            return 2;
        }

        var conn = new QemuDomainDriver(StateRoot.Embed(args[0]), NullLoggerFactory.Instance)
        {
            Step = step =>
            {
                if (step == args[2])
                {
                    Process.GetCurrentProcess().Kill();
                }
            },
        };
        if (args[1] == "start")
        {
            conn.StartDomain(Vm, DomainStartFlags.None, CancellationToken.None);
        }
        else
        {
            conn.DestroyDomain(Vm, DomainDestroyFlags.Default);
        }

        return 0;
    }

    /// <summary>Waits until the QEMU the status records (if any) has made its monitor socket.</summary>
    private void WaitForMonitorSocket()
    {
        if (DomainFiles.ReadStatusFile(StateRoot.Embed(_root).StatusFile("vm")) is not { Pid: not 0 } status)
        {
            return;
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(status.MonitorSocket) && status.IsQemuAlive && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }
    }

    private QemuDomainDriver Connection() => new(StateRoot.Embed(_root), NullLoggerFactory.Instance);

    private int RunChild(string operation, string step)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(typeof(ManagerCrashScenario).Assembly.Location);
        start.ArgumentList.Add(_root);
        start.ArgumentList.Add(operation);
        start.ArgumentList.Add(step);
        using var child = Process.Start(start)!;
        var stderr = child.StandardError.ReadToEndAsync();
        child.StandardOutput.ReadToEnd();
        Assert.That(child.WaitForExit(TimeSpan.FromSeconds(60)), Is.True, stderr.Result);
        return child.ExitCode;
    }

    private List<int> QemusOfRoot() => QemuKill.Running(_root);
}
