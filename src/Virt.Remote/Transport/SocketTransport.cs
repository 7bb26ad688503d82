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

    private static NetworkStream Connect(Socket socket, EndPoint endPoint, TimeSpan timeout, string what)
    {
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            socket.ConnectAsync(endPoint, cts.Token).AsTask().GetAwaiter().GetResult();
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new VirtException(VirtErrorCode.SystemError, $"{what}: {Describe(ex, endPoint)}", ex);
        }
        catch (OperationCanceledException ex)
        {
            socket.Dispose();
            throw new VirtException(VirtErrorCode.SystemError, $"{what}: Connection timed out", ex);
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
