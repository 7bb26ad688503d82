using System.Diagnostics;
using System.Text.Json;
using Virt.Drivers;
using Virt.Qemu.Driver;

namespace Virt.Qemu.Tests.Driver;

/// <summary>16 threads and 2 other processes call one running domain at once (state, suspend, resume, XML, info, id,
/// the monitor): every call succeeds or is refused as libvirt documents, no file is ever seen torn, and all callers
/// agree with QEMU on the final state.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class QemuConcurrencyTests : QemuRootTest
{
    private const int Threads = 16;
    private const int CallsPerCaller = 40;

    [Test]
    public void SixteenThreadsAndTwoProcessesShareOneDomain()
    {
        var dom = Conn.DefineDomain(GuestDomains.Bare("shared"));
        dom.Start();
        string status = Path.Combine(Root, "run", "shared", "status.json");
        string config = Path.Combine(Root, "domains", "shared", "domain.xml");
        using var stop = new CancellationTokenSource();
        var torn = new List<string>();
        var watcher = new Thread(() => WatchFiles(status, config, torn, stop.Token)) { IsBackground = true };
        watcher.Start();

        var children = Enumerable.Range(0, 2).Select(i => StartChild(i + 100)).ToList();
        var mixes = Enumerable.Range(0, Threads).Select(_ => new DomainCallMix()).ToArray();
        var threads = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
        {
            // Half the threads share the test's connection, the other half open their own.
            if (i % 2 == 0)
            {
                mixes[i].Run(dom, CallsPerCaller, i);
                return;
            }

            using var own = Open();
            mixes[i].Run(own.LookupDomainByName("shared"), CallsPerCaller, i);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var childResults = children.Select(Finish).ToList();
        stop.Cancel();
        watcher.Join();

        Assert.Multiple(() =>
        {
            Assert.That(mixes.SelectMany(m => m.Failures), Is.Empty, "in-process calls that failed");
            Assert.That(childResults.Select(r => r.ExitCode), Is.All.Zero, string.Join("\n", childResults.Select(r => r.Output)));
            Assert.That(mixes.Sum(m => m.Done), Is.GreaterThan(0));
            Assert.That(torn, Is.Empty, "a file read while others wrote it did not parse");
        });

        var state = dom.GetState().State;
        string qemu = dom.MonitorCommand("""{"execute":"query-status"}""");
        bool running = JsonDocument.Parse(qemu).RootElement.GetProperty("return").GetProperty("running").GetBoolean();
        Assert.That(state, Is.EqualTo(running ? DomainState.Running : DomainState.Paused), "the recorded state is QEMU's");
        using var fresh = Open();
        Assert.That(fresh.LookupDomainByName("shared").GetState().State, Is.EqualTo(state), "another connection sees the same state");
        Assert.That(fresh.ListAllDomains(ListDomainsFlags.Active).Select(d => d.Name), Is.EqualTo(new[] { "shared" }));
    }

    /// <summary>The child's side (<c>Program</c> runs it for <c>concurrency ROOT SEED</c>): the same call mix in another process.</summary>
    public static int RunAsChild(string[] args)
    {
        var registry = new VirtDriverRegistry();
        QemuDriver.Register(registry);
        using var conn = VirtConnection.Open("qemu:///embed?root=" + args[0], new VirtConnectionOptions { Registry = registry });
        var mix = new DomainCallMix();
        mix.Run(conn.LookupDomainByName("shared"), CallsPerCaller, int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
        Console.WriteLine($"done={mix.Done} busy={mix.Refused}");
        foreach (string failure in mix.Failures)
        {
            Console.WriteLine(failure);
        }

        return mix.Failures.Count == 0 ? 0 : 1;
    }

    private static void WatchFiles(string status, string config, List<string> torn, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using (JsonDocument.Parse(File.ReadAllBytes(status)))
                {
                }

                _ = Conf.DomainDefinition.Parse(File.ReadAllText(config));
            }
            catch (Exception e) when (e is JsonException or VirtException or IOException)
            {
                lock (torn)
                {
                    torn.Add(e.Message);
                }
            }
        }
    }

    private Process StartChild(int seed)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(QemuConcurrencyTests).Assembly.Location);
        start.ArgumentList.Add("concurrency");
        start.ArgumentList.Add(Root);
        start.ArgumentList.Add(seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Process.Start(start)!;
    }

    private static (int ExitCode, string Output) Finish(Process child)
    {
        using (child)
        {
            var stderr = child.StandardError.ReadToEndAsync();
            string stdout = child.StandardOutput.ReadToEnd();
            Assert.That(child.WaitForExit(TimeSpan.FromMinutes(5)), Is.True, "the child process finished");
            return (child.ExitCode, stdout + stderr.Result);
        }
    }
}
