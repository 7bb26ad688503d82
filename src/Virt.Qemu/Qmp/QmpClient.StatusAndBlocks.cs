using System.Runtime.ExceptionServices;

namespace Virt.Qemu.Qmp;

internal sealed partial class QmpClient
{
    /// <summary>
    /// query-status and query-block in one round trip (QEMU answers them in order). A failed query-status throws here; a
    /// failed query-block throws only when its answer is asked for (<see cref="StatusAndBlocks.Blocks"/>), as a caller
    /// that turns out not to need the disks never sees it.
    /// </summary>
    /// <exception cref="QmpCommandException">QEMU refused query-status.</exception>
    /// <exception cref="QmpConnectionException">The connection is or became broken.</exception>
    /// <exception cref="VirtException">No reply in time, or the reply has the wrong shape.</exception>
    public StatusAndBlocks QueryStatusAndBlocks()
    {
        var (status, blocks) = Connection.ExecuteInOrder("query-status", null, null, "query-block", null, null);
        IReadOnlyList<BlockInfo>? devices = null;
        ExceptionDispatchInfo? blockError = null;
        using (blocks)
        {
            try
            {
                QmpConnection.ThrowIfError("query-block", blocks);
                devices = ReadReturn("query-block", blocks, Json.ListBlockInfo);
            }
            catch (VirtException e)
            {
                blockError = ExceptionDispatchInfo.Capture(e);
            }
        }

        using (status)
        {
            QmpConnection.ThrowIfError("query-status", status);
            return new StatusAndBlocks(ReadReturn("query-status", status, Json.StatusInfo), devices, blockError);
        }
    }
}

/// <summary>QEMU's run state and its block devices, asked together (<see cref="QmpClient.QueryStatusAndBlocks"/>).</summary>
internal sealed class StatusAndBlocks(StatusInfo status, IReadOnlyList<BlockInfo>? blocks, ExceptionDispatchInfo? blockError)
{
    /// <summary>query-status's answer.</summary>
    public StatusInfo Status { get; } = status;

    /// <summary>query-block's answer; throws what query-block met when it failed.</summary>
    public IReadOnlyList<BlockInfo> Blocks()
    {
        blockError?.Throw();
        return blocks!;
    }
}
