using System.Net;
using System.Net.Sockets;

namespace Virt.Remote.Transport;

/// <summary>The unix and tcp transports: a connected socket as a stream, with libvirt's wording when connecting fails.</summary>
internal static class SocketTransport
{
    /// <summary>Connects to a UNIX socket.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.SystemError"/> "Failed to connect socket to 'PATH': REASON", as libvirt says.</exception>
    public static Stream ConnectUnix(string path, TimeSpan timeout)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        return Connect(socket, new UnixDomainSocketEndPoint(path), timeout, $"Failed to connect socket to '{path}'");
    }

    /// <summary>Connects to a TCP port, trying each address of the host in turn.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.SystemError"/> "unable to connect to server at 'HOST:PORT': REASON", as libvirt says.</exception>
    public static Stream ConnectTcp(string host, int port, TimeSpan timeout)
    {
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host, out var literal) ? [literal] : Dns.GetHostAddresses(host);
        }
        catch (SocketException ex)
        {
            throw new VirtException(VirtErrorCode.SystemError, $"Cannot resolve address '{host}' service '{port}': {ex.Message}", ex);
        }

        VirtException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                return Connect(socket, new IPEndPoint(address, port), timeout, $"unable to connect to server at '{host}:{port}'");
            }
            catch (VirtException ex)
            {
                last = ex;
            }
        }

        throw last ?? new VirtException(VirtErrorCode.SystemError, $"Cannot resolve address '{host}' service '{port}': no address");
    }

    /// <summary>
    /// Connects without .NET's asynchronous socket API: a socket that ran one asynchronous operation stays registered
    /// with the runtime's epoll thread, which then wakes and hands work to the thread pool on every message the daemon
    /// sends, although callers read synchronously (measured: one epoll_wait, a futex and about twenty sched_yield per
    /// round trip, on 2 cores a third more time per call). So: a non-blocking connect() waited for with poll().
    /// </summary>
    private static NetworkStream Connect(Socket socket, EndPoint endPoint, TimeSpan timeout, string what)
    {
        try
        {
            socket.Blocking = false;
            try
            {
                socket.Connect(endPoint);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
                WaitForConnect(socket, timeout);
            }

            socket.Blocking = true;
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new VirtException(VirtErrorCode.SystemError, $"{what}: {Describe(ex, endPoint)}", ex);
        }
        catch (TimeoutException ex)
        {
            socket.Dispose();
            throw new VirtException(VirtErrorCode.SystemError, $"{what}: Connection timed out", ex);
        }
    }

    /// <summary>Waits for a connect in progress; the socket's pending error (SO_ERROR) says whether it failed.</summary>
    private static void WaitForConnect(Socket socket, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            long remaining = deadline - Environment.TickCount64;
            if (remaining <= 0)
            {
                throw new TimeoutException();
            }

            // Slices, because poll() may report a failed connect as an error without "writable".
            bool done = socket.Poll(TimeSpan.FromMilliseconds(Math.Min(remaining, 50)), SelectMode.SelectWrite);
            var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (error != SocketError.Success)
            {
                throw new SocketException((int)error);
            }

            if (done && socket.Connected)
            {
                return;
            }
        }
    }

    /// <summary>The C library's words for the errors a connect meets, as libvirt prints them (.NET words some differently).</summary>
    private static string Describe(SocketException ex, EndPoint endPoint) => ex.SocketErrorCode switch
    {
        SocketError.AddressNotAvailable when endPoint is UnixDomainSocketEndPoint unix && !File.Exists(unix.ToString()) => "No such file or directory",
        SocketError.ConnectionRefused => "Connection refused",
        SocketError.AccessDenied => "Permission denied",
        SocketError.TimedOut => "Connection timed out",
        SocketError.HostUnreachable => "No route to host",
        SocketError.NetworkUnreachable => "Network is unreachable",
        _ => ex.Message,
    };
}
