namespace Virt.Remote.Rpc;

/// <summary>The RPC programs libvirtd serves, with their versions (remote_protocol.x, virkeepaliveprotocol.x, qemu_protocol.x).</summary>
internal static class RpcPrograms
{
    public const uint Remote = 0x20008086;
    public const uint RemoteVersion = 1;

    public const uint KeepAlive = 0x6b656570;
    public const uint KeepAliveVersion = 1;
    public const int KeepAlivePing = 1;
    public const int KeepAlivePong = 2;

    public const uint Qemu = 0x20008087;
    public const uint QemuVersion = 1;
}
