namespace Virt;

/// <summary>Why a connection to a peer closed, as libvirt's <c>virConnectCloseReason</c> numbers it.</summary>
public enum ConnectionCloseReason
{
    /// <summary>A failure reading or writing (VIR_CONNECT_CLOSE_REASON_ERROR).</summary>
    Error = 0,

    /// <summary>The peer closed the connection (VIR_CONNECT_CLOSE_REASON_EOF), for example a daemon that exited.</summary>
    EndOfFile = 1,

    /// <summary>The peer left keepalive pings unanswered (VIR_CONNECT_CLOSE_REASON_KEEPALIVE).</summary>
    KeepAlive = 2,

    /// <summary>Closed on this side (VIR_CONNECT_CLOSE_REASON_CLIENT).</summary>
    Client = 3,
}
