using System.Collections.Concurrent;
using System.Text.Json;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>Replies out of order and callers giving up at the same time never cross wires.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class QmpConcurrencyTests
{
    [Test]
    public void OutOfOrderLateRepliesWithShortTimeoutsEachCallerGetsItsOwnAnswerOrATimeout()
    {
        const int Threads = 8;
        const int Calls = 60;
        int sent = 0;
        int received = 0;
        int callersDone = 0;
        using var allSent = new ManualResetEventSlim();
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var due = new BlockingCollection<(long Due, string Id, string Payload)>();
            var replier = new Thread(() =>
            {
                var waiting = new List<(long Due, string Id, string Payload)>();
                while (!due.IsCompleted || waiting.Count > 0)
                {
                    if (due.TryTake(out var item, 1))
                    {
                        waiting.Add(item);
                    }

                    long now = Environment.TickCount64;
                    foreach (var ready in waiting.Where(w => w.Due <= now).ToList())
                    {
                        waiting.Remove(ready);
                        try
                        {
                            peer.Reply(ready.Id, JsonSerializer.Serialize("echo:" + ready.Payload));
                            if (Interlocked.Increment(ref sent) == Threads * Calls)
                            {
                                allSent.Set();
                            }
                        }
                        catch (IOException)
                        {
                            // The client is gone; late replies have nowhere to go.
                        }
                    }

                    // A call whose deadline passed while it waited to write was never sent: once the callers are done,
                    // every command the peer received has its reply on the way.
                    if (Volatile.Read(ref callersDone) == 1 && waiting.Count == 0 && due.Count == 0 && Volatile.Read(ref sent) == Volatile.Read(ref received))
                    {
                        allSent.Set();
                    }
                }
            });
            replier.Start();
            var random = new Random(7);
            try
            {
                while (true)
                {
                    string id;
                    string? args;
                    try
                    {
                        (id, args) = peer.Expect("human-monitor-command");
                    }
                    catch (InvalidOperationException)
                    {
                        break; // the client closed the connection
                    }

                    string payload = JsonDocument.Parse(args!).RootElement.GetProperty("command-line").GetString()!;
                    Interlocked.Increment(ref received);
                    due.Add((Environment.TickCount64 + random.Next(0, 30), id, payload));
                }
            }
            finally
            {
                due.CompleteAdding();
                replier.Join();
            }
        });

        var failures = new ConcurrentBag<string>();
        int answered = 0;
        int timedOut = 0;
        using (var client = QmpClient.Connect(server.SocketPath))
        {
            var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
            {
                var random = new Random(t);
                for (int i = 0; i < Calls; i++)
                {
                    string payload = $"t{t}-c{i}";
                    try
                    {
                        string reply = client.HumanMonitorCommand(payload, TimeSpan.FromMilliseconds(random.Next(5, 40)));
                        if (reply != "echo:" + payload)
                        {
                            failures.Add(payload + " got " + reply);
                        }

                        Interlocked.Increment(ref answered);
                    }
                    catch (VirtException e) when (e.Code == VirtErrorCode.OperationTimeout)
                    {
                        Interlocked.Increment(ref timedOut);
                    }
#pragma warning disable CA1031
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        failures.Add(payload + ": " + e.Message);
                    }
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            Assert.That(threads.All(t => t.Join(TimeSpan.FromSeconds(60))), Is.True);
            Volatile.Write(ref callersDone, 1);
            // Every reply is on its way, late ones included; one more command's reply comes after them all, so once
            // it is answered the reader has dropped every late reply, and the connection must still work.
            Assert.That(allSent.Wait(TimeSpan.FromSeconds(60)), Is.True, "the peer answered every command");
            Assert.That(client.HumanMonitorCommand("after-all", TimeSpan.FromSeconds(30)), Is.EqualTo("echo:after-all"));
            Assert.That(client.State, Is.EqualTo(QmpState.Running));
        }

        server.Verify();
        TestContext.Out.WriteLine($"answered {answered}, timed out {timedOut}");
        Assert.Multiple(() =>
        {
            Assert.That(failures, Is.Empty);
            Assert.That(answered + timedOut, Is.EqualTo(Threads * Calls));
        });
    }
}
