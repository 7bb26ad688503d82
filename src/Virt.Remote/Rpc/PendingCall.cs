namespace Virt.Remote.Rpc;

/// <summary>A call waiting for its reply: completed once, by the reader thread or by <see cref="RpcConnection"/>'s break.</summary>
internal sealed class PendingCall(uint serial, int procedure)
{
    private readonly TaskCompletionSource<RpcInbound> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public uint Serial { get; } = serial;

    public int Procedure { get; } = procedure;

    public Task<RpcInbound> Task => _completion.Task;

    public void Complete(RpcInbound reply) => _completion.TrySetResult(reply);

    public void Fail(Exception reason) => _completion.TrySetException(reason);
}
