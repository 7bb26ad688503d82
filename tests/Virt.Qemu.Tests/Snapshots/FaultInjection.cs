using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Virt.Qemu.Driver;
using Virt.Qemu.Driver.State;

namespace Virt.Qemu.Tests.Snapshots;

/// <summary>
/// The fault harness of the snapshot fault tests: runs an operation on domain <c>vm</c> of a root through a
/// <see cref="QemuDomainDriver"/> whose <c>Step</c> hook throws at the named step (<see cref="Fault.Fails"/>) or
/// kills QEMU there by its pid file (<see cref="Fault.QemuKilled"/>), or runs it in a child process (this assembly,
/// <see cref="Program"/>) that kills itself at the step (<see cref="Fault.ManagerKilled"/>). The operations are
/// registered by kind, so the child finds the one the test meant.
/// </summary>
internal static class FaultInjection
{
    /// <summary>The operations by kind: each runs its operation (named by the test) on domain <c>vm</c>.</summary>
    private static readonly Dictionary<string, (Action<QemuDomainDriver, string> Perform, TimeSpan ChildLimit)> Kinds = new(StringComparer.Ordinal)
    {
        ["snapshot"] = (SnapshotFaultTests.Perform, TimeSpan.FromSeconds(60)),
        ["external"] = (External.ExternalFaultTests.Perform, TimeSpan.FromSeconds(60)),
        ["extdel"] = (ExternalDelete.ExternalDeleteFaultTests.Perform, TimeSpan.FromSeconds(120)),
        ["memory"] = (External.ExternalMemoryFaultTests.Perform, TimeSpan.FromSeconds(120)),
        ["nvram"] = (External.ExternalNvramFaultTests.Perform, TimeSpan.FromSeconds(60)),
    };

    /// <summary>Whether <paramref name="args"/> start a fault child: root, kind, operation, step.</summary>
    public static bool IsChild(string[] args) => args.Length == 4 && Kinds.ContainsKey(args[1]);

    /// <summary>Runs <paramref name="operation"/> of <paramref name="kind"/> on the root at <paramref name="root"/> with
    /// <paramref name="fault"/> at <paramref name="step"/>, and asserts the step was reached (the operation's own
    /// failure, or what the fault led to, is expected and swallowed).</summary>
    public static void Inject(string root, string kind, string step, Fault fault, string operation)
    {
        var (perform, childLimit) = Kinds[kind];
        if (fault == Fault.ManagerKilled)
        {
            Assert.That(RunChild(root, kind, operation, step, childLimit), Is.EqualTo(137), $"the child is killed at step {step}");
            return;
        }

        var state = StateRoot.Embed(root);
        bool hit = false;
        var driver = new QemuDomainDriver(state, NullLoggerFactory.Instance)
        {
            Step = s =>
            {
                if (s != step || hit)
                {
                    return;
                }

                hit = true;
                if (fault == Fault.Fails)
                {
                    throw new IOException("injected at " + s);
                }

                // QEMU's own pid file: the status has no pid yet right after the launch (and kill(0) would hit this process group).
                int pid = int.Parse(File.ReadAllText(state.PidFile("vm")).Trim(), CultureInfo.InvariantCulture);
                Assert.That(pid, Is.GreaterThan(1));
                Virt.Qemu.Tests.Driver.QemuKill.AndWait(pid);
            },
        };
        try
        {
            perform(driver, operation);
        }
        catch (Exception e) when (e is IOException or VirtException)
        {
            // The fault's own failure, or what it led to.
        }

        Assert.That(hit, Is.True, $"the operation passed step {step}");
    }

    /// <summary>The child's side of <see cref="Fault.ManagerKilled"/>: runs the operation on the root, killing itself at
    /// the step. Arguments: root, kind, operation, step.</summary>
    public static int RunAsChild(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var driver = new QemuDomainDriver(StateRoot.Embed(args[0]), NullLoggerFactory.Instance)
        {
            Step = s =>
            {
                if (s == args[3])
                {
                    Process.GetCurrentProcess().Kill();
                }
            },
        };
        Kinds[args[1]].Perform(driver, args[2]);
        return 0;
    }

    private static int RunChild(string root, string kind, string operation, string step, TimeSpan limit)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { typeof(FaultInjection).Assembly.Location, root, kind, operation, step })
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        var stderr = child.StandardError.ReadToEndAsync();
        child.StandardOutput.ReadToEnd();
        Assert.That(child.WaitForExit(limit), Is.True, stderr.Result);
        return child.ExitCode;
    }
}
