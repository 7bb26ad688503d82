using Virt.Qemu.Qmp;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>
/// Where the files of a merge are in a running QEMU: the node a disk device uses now (after external snapshots and
/// merges it is not the one the command line named) and the format node that has a file open, found by file name
/// (QEMU opens backing files from the image headers under names it chooses).
/// </summary>
internal static class ExternalMergeNodes
{
    /// <summary>The root node of the device <paramref name="alias"/> and the file it has open.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationFailed"/> when QEMU has no such device with a medium.</exception>
    public static (string Node, string File) RootOf(QmpClient monitor, string alias)
    {
        foreach (var block in monitor.QueryBlock())
        {
            if (block.Qdev is { } qdev && (qdev == alias || qdev == "/machine/peripheral/" + alias || qdev.StartsWith("/machine/peripheral/" + alias + "/", StringComparison.Ordinal))
                && block.Inserted is { NodeName: { } node } inserted)
            {
                return (node, ExternalReferences.Canonical(inserted.File));
            }
        }

        throw new VirtException(VirtErrorCode.OperationFailed, $"QEMU has no disk device '{alias}' with a medium");
    }

    /// <summary>The format node that has <paramref name="file"/> (canonical) open.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationFailed"/> when QEMU has no node on it.</exception>
    public static string NodeOf(QmpClient monitor, string file)
    {
        foreach (var node in monitor.QueryNamedBlockNodes())
        {
            if (node.NodeName is { } name && node.Drv is not ("file" or "host_device") && ExternalReferences.Canonical(node.File) == file)
            {
                return name;
            }
        }

        throw new VirtException(VirtErrorCode.OperationFailed, $"QEMU has no block node on '{file}'");
    }

    /// <summary>Writes QEMU's cached metadata of <paramref name="node"/> and the nodes below it that it writes to disk. A
    /// finished block job leaves part of its result in QEMU's qcow2 caches; a QEMU killed before they are written
    /// would leave a chain whose headers already changed without the data they need.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationFailed"/> with QEMU's text when the flush fails.</exception>
    public static void Flush(QmpClient monitor, string node)
    {
        string output = monitor.HumanMonitorCommand("qemu-io " + node + " \"flush\"");
        if (output.Trim().Length > 0)
        {
            throw new VirtException(VirtErrorCode.OperationFailed, $"flushing block node '{node}' failed: {output.Trim()}");
        }
    }

    /// <summary>Best effort: deletes a node taken out of the chain, with its file node when that was added by name.</summary>
    public static void TryDelete(QmpClient monitor, string node, string file)
    {
        foreach (string name in new[] { node }.Concat(monitor.QueryNamedBlockNodes()
            .Where(n => n.Drv is "file" or "host_device" && n.NodeName is { } s && !s.StartsWith('#') && ExternalReferences.Canonical(n.File) == file)
            .Select(n => n.NodeName!)))
        {
            try
            {
                monitor.BlockdevDel(name);
            }
            catch (Exception e) when (e is VirtException or QmpConnectionException)
            {
                // Still in use, already gone with its parent, or QEMU went away: nothing to undo.
            }
        }
    }
}
