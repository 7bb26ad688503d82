using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Virt.Remote.Tests.Daemon;

/// <summary>
/// A libvirtd of the tests' own, never the system's: its configuration, sockets and pid file in a temporary
/// folder, TCP on 127.0.0.1 at a free port with auth "none", and an empty LIBVIRT_DRIVER_DIR so that it loads no
/// hypervisor module and serves only the built-in test driver. It pings idle clients every second and drops one
/// that leaves two pings unanswered, so that every test also checks that keepalive pings are answered. One per test run (<see cref="Shared"/>), stopped
/// by <see cref="DaemonSetUp"/>.
/// </summary>
internal sealed class ThrowawayLibvirtd : IDisposable
{
    private static readonly Lock Gate = new();
    private static ThrowawayLibvirtd? _shared;

    private readonly string _dir;
    private readonly string _conf;
    private readonly string _drivers;
    private Process _process = null!;
    private readonly StringBuilder _log = new();

    /// <summary>A daemon of one test's own, for tests that stop and restart it (<see cref="Kill"/>, <see cref="Start"/>).</summary>
    internal ThrowawayLibvirtd()
    {
        _dir = Directory.CreateTempSubdirectory("virt-remote-libvirtd-").FullName;
        _drivers = Directory.CreateDirectory(Path.Combine(_dir, "drivers")).FullName;
        string sockets = Directory.CreateDirectory(Path.Combine(_dir, "run")).FullName;
        Port = FreePort();
        TlsPort = FreePort();
        PkiPath = Directory.CreateDirectory(Path.Combine(_dir, "pki")).FullName;
        TestPki.Write(PkiPath);
        SocketPath = Path.Combine(sockets, "libvirt-sock");
        _conf = Path.Combine(_dir, "libvirtd.conf");
        File.WriteAllText(_conf, $"""
            listen_tcp = 1
            listen_tls = 1
            tls_port = "{TlsPort}"
            auth_tls = "none"
            ca_file = "{PkiPath}/cacert.pem"
            cert_file = "{PkiPath}/servercert.pem"
            key_file = "{PkiPath}/serverkey.pem"
            tcp_port = "{Port}"
            listen_addr = "127.0.0.1"
            auth_tcp = "none"
            auth_unix_rw = "none"
            auth_unix_ro = "none"
            unix_sock_dir = "{sockets}"
            keepalive_interval = 1
            keepalive_count = 2
            """);
        Start();
    }

    /// <summary>Starts the daemon on the same ports, socket and configuration (again after <see cref="Kill"/>).</summary>
    public void Start()
    {
        var start = new ProcessStartInfo("libvirtd")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = _dir,
        };
        foreach (string arg in new[] { "--listen", "-f", _conf, "-p", Path.Combine(_dir, "libvirtd.pid") })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["LIBVIRT_DRIVER_DIR"] = _drivers;
        start.Environment["LC_ALL"] = "C";
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("libvirtd did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("libvirtd is not installed: run scripts/install-deps.sh (Debian package libvirt-daemon)", ex);
        }

        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        WaitUntilListening();
    }

    /// <summary>The daemon of this test run, started on first use.</summary>
    public static ThrowawayLibvirtd Shared
    {
        get
        {
            lock (Gate)
            {
                return _shared ??= new ThrowawayLibvirtd();
            }
        }
    }

    public int Port { get; }

    /// <summary>The TLS port; the client certificate and CA are under <see cref="PkiPath"/>.</summary>
    public int TlsPort { get; }

    /// <summary>A folder with cacert.pem, clientcert.pem and clientkey.pem, for <c>?pkipath=</c>.</summary>
    public string PkiPath { get; }

    public string SocketPath { get; }

    /// <summary>The test driver over TCP.</summary>
    public string TcpUri => $"test+tcp://127.0.0.1:{Port}/default";

    /// <summary>The test driver over TLS with the throwaway CA's client certificate.</summary>
    public string TlsUri => $"test+tls://127.0.0.1:{TlsPort}/default?pkipath={Uri.EscapeDataString(PkiPath)}";

    /// <summary>The test driver over the daemon's UNIX socket.</summary>
    public string UnixUri => $"test+unix:///default?socket={SocketPath}";

    public static void StopShared()
    {
        lock (Gate)
        {
            _shared?.Dispose();
            _shared = null;
        }
    }

    /// <summary>Kills the daemon (SIGKILL: no goodbye to its clients) and waits for it to exit.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10000);
        }

        _process.Dispose();
    }

    public void Dispose()
    {
        Kill();
        Directory.Delete(_dir, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"libvirtd exited with {_process.ExitCode}: {_log}");
            }

            if (File.Exists(SocketPath) && CanConnect())
            {
                return;
            }

            Thread.Sleep(50);
        }

        _process.Kill();
        throw new InvalidOperationException($"libvirtd did not listen on 127.0.0.1:{Port} within 30 s: {_log}");
    }

    private bool CanConnect()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
