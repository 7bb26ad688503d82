using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Virt.Drivers;
using Virt.Remote;

namespace Virt.Benchmarks.Remote;

/// <summary>
/// scripts/bench-remote.sh's in-process part, side by side on one daemon: N DOMAIN_GET_STATE round trips through
/// Virt.Remote on one connection, the same through a raw socket loop (pre-encoded frames, the reply checked and its
/// state decoded: the floor any client must spend), and connect time (open + close). Prints one line per
/// measurement: name and microseconds per operation.
/// </summary>
internal static class RemoteRoundTrips
{
    public static void Run(string host, int port, int calls)
    {
        var registry = new VirtDriverRegistry();
        RemoteDriver.Register(registry);
        var options = new VirtConnectionOptions { Registry = registry };
        string uri = $"test+tcp://{host}:{port}/default";

        // Keep one connection open so that test:///default (and its domain 'test') lives through the run.
        using var keeper = VirtConnection.Open(uri, options);
        var test = keeper.LookupDomainByName("test");
        using (var raw = new RawRemoteLoop(host, port, test.Name, test.Uuid))
        {
            // Both loops reach steady state first (the JIT's tier-1 code replaces tier-0 after about 100 ms of calls, on
            // a background thread), then run in alternating blocks, so that a load change during the run hits both.
            WarmUp(() => test.GetState());
            WarmUp(raw.RoundTrip);
            var virt = TimeSpan.Zero;
            var bare = TimeSpan.Zero;
            int done = 0;
            for (int block = 0; block < Blocks; block++)
            {
                int count = (calls * (block + 1) / Blocks) - done;
                done += count;
                virt += Time(() => test.GetState(), count);
                bare += Time(raw.RoundTrip, count);
            }

            Print("virt-remote-getstate", virt, calls);
            Print("raw-socket-getstate", bare, calls);
        }

        const int Connects = 20;
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < Connects; i++)
        {
            using var conn = VirtConnection.Open(uri, options);
        }

        Print("virt-remote-connect", sw.Elapsed, Connects);
    }

    /// <summary>
    /// One loop alone, <paramref name="loop"/> "virt" or "raw", after 200 warm-up calls: prints the bytes allocated
    /// per call (every thread), the process's CPU time per call (every thread: less sensitive to other load than the
    /// wall clock) and the microseconds per call, so that strace -c -f of this process counts one loop's syscalls.
    /// </summary>
    public static void Profile(string host, int port, int calls, string loop)
    {
        var registry = new VirtDriverRegistry();
        RemoteDriver.Register(registry);
        using var conn = VirtConnection.Open($"test+tcp://{host}:{port}/default", new VirtConnectionOptions { Registry = registry });
        var test = conn.LookupDomainByName("test");
        using var raw = new RawRemoteLoop(host, port, test.Name, test.Uuid);
        Action call = loop == "raw" ? raw.RoundTrip : () => test.GetState();
        for (int i = 0; i < 200; i++)
        {
            call();
        }

        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var elapsed = Time(call, calls);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;
        Console.WriteLine(FormattableString.Invariant($"{loop}-allocated-bytes-per-call {(double)allocated / calls:0.0}"));
        Print($"{loop}-cpu", cpu, calls);
        Print($"{loop}-getstate", elapsed, calls);
    }

    private const int Blocks = 10;

    /// <summary>Calls <paramref name="call"/> for at least a second and at least 2,000 times.</summary>
    private static void WarmUp(Action call)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 2000 || sw.ElapsedMilliseconds < 1000; i++)
        {
            call();
        }
    }

    private static TimeSpan Time(Action call, int count)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            call();
        }

        return sw.Elapsed;
    }

    private static void Print(string name, TimeSpan elapsed, int count) =>
        Console.WriteLine(FormattableString.Invariant($"{name} {elapsed.TotalMicroseconds / count:0.0}"));

    /// <summary>libvirt's protocol at its barest: AUTH_LIST, CONNECT_OPEN, then GET_STATE frames written and replies skipped by length.</summary>
    private sealed class RawRemoteLoop : IDisposable
    {
        private readonly Socket _socket;
        private readonly byte[] _getState;
        private readonly byte[] _buffer = new byte[64 * 1024];
        private uint _serial;

        public RawRemoteLoop(string host, int port, string name, Guid uuid)
        {
            _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            _socket.Connect(IPAddress.Parse(host), port);
            Call(Frame(66, []));
            byte[] uri = Encoding.UTF8.GetBytes("test:///default");
            Call(Frame(1, [.. Be(1), .. Be((uint)uri.Length), .. Pad(uri), .. Be(0)]));
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            byte[] uuidBytes = new byte[16];
            uuid.TryWriteBytes(uuidBytes, bigEndian: true, out _);
            _getState = Frame(212, [.. Be((uint)nameBytes.Length), .. Pad(nameBytes), .. uuidBytes, .. Be(uint.MaxValue), .. Be(0)]);
        }

        /// <summary>One DOMAIN_GET_STATE; the reply is checked (serial, status) and decoded, as Virt.Remote's is.</summary>
        public void RoundTrip()
        {
            BinaryPrimitives.WriteUInt32BigEndian(_getState.AsSpan(20), ++_serial);
            Call(_getState);
            if (BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(16)) != _serial || BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(20)) != 0)
            {
                throw new IOException("the daemon did not answer DOMAIN_GET_STATE");
            }

            State = new DomainStateInfo((DomainState)BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(24)), BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(28)));
        }

        /// <summary>The last state decoded.</summary>
        public DomainStateInfo State { get; private set; }

        private void Call(byte[] frame)
        {
            _socket.Send(frame);
            Receive(4);
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(_buffer);
            Receive(length - 4);
        }

        private void Receive(int count)
        {
            int done = 0;
            while (done < count)
            {
                int n = _socket.Receive(_buffer, done, count - done, SocketFlags.None);
                if (n == 0)
                {
                    throw new IOException("the daemon closed the raw connection");
                }

                done += n;
            }
        }

        private byte[] Frame(int procedure, byte[] payload)
        {
            byte[] frame = [.. Be((uint)(28 + payload.Length)), .. Be(0x20008086), .. Be(1), .. Be((uint)procedure), .. Be(0), .. Be(++_serial), .. Be(0), .. payload];
            return frame;
        }

        private static byte[] Be(uint value)
        {
            byte[] b = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(b, value);
            return b;
        }

        private static byte[] Pad(byte[] bytes) => [.. bytes, .. new byte[(4 - (bytes.Length % 4)) % 4]];

        public void Dispose() => _socket.Dispose();
    }
}
