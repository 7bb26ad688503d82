using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>
/// QEMU's block nodes around an external snapshot of a running domain. The overlays are added with
/// <c>blockdev-add</c> (<c>"backing": null</c>, which QEMU requires while the disk's node holds the write lock) under
/// stable names continuing libvirt's scheme (<c>libvirt-N-format</c> / <c>libvirt-N-storage</c>, N past every index in
/// use); one <c>transaction</c> of <c>blockdev-snapshot</c> actions then puts them on top. Since a disk's top node is no
/// longer the one its command line named afterwards, <see cref="Current(QmpClient, IReadOnlyList{SnapshotImage}, QemuCommand)"/> asks QEMU (<c>query-block</c>) which node
/// each disk device uses now.
/// </summary>
internal static class ExternalNodes
{
    /// <summary>The first node index no node of the QEMU uses.</summary>
    public static int NextIndex(QmpClient monitor)
    {
        int max = 0;
        foreach (var node in monitor.QueryNamedBlockNodes())
        {
            if (IndexOf(node.NodeName) is { } index)
            {
                max = Math.Max(max, index);
            }
        }

        return max + 1;
    }

    /// <summary>The format and storage node names of index <paramref name="index"/>.</summary>
    public static (string Format, string Storage) NamesOf(int index) =>
        (string.Create(CultureInfo.InvariantCulture, $"libvirt-{index}-format"), string.Create(CultureInfo.InvariantCulture, $"libvirt-{index}-storage"));

    /// <summary>The <c>blockdev-add</c> arguments of an overlay file (qcow2, no backing opened).</summary>
    public static JsonElement AddOptions(string path, int index)
    {
        var (format, storage) = NamesOf(index);
        var options = new JsonObject
        {
            ["driver"] = "qcow2",
            ["node-name"] = format,
            ["backing"] = null,
            ["file"] = new JsonObject
            {
                ["driver"] = "file",
                ["filename"] = path,
                ["node-name"] = storage,
                ["auto-read-only"] = true,
                ["discard"] = "unmap",
            },
        };
        using var document = JsonDocument.Parse(options.ToJsonString());
        return document.RootElement.Clone();
    }

    /// <summary>A <c>blockdev-snapshot</c> transaction action putting <paramref name="overlay"/> on top of <paramref name="node"/>.</summary>
    public static TransactionAction Snapshot(string node, string overlay)
    {
        var data = new JsonObject { ["node"] = node, ["overlay"] = overlay };
        using var document = JsonDocument.Parse(data.ToJsonString());
        return new TransactionAction("blockdev-snapshot", document.RootElement.Clone());
    }

    /// <summary><paramref name="images"/> with each disk's node replaced by the top node its device uses now.</summary>
    /// <param name="monitor">The QEMU that runs the definition.</param>
    /// <param name="images">The images as the command line names them.</param>
    /// <param name="command">The command line (device aliases by disk target).</param>
    public static List<SnapshotImage> Current(QmpClient monitor, IReadOnlyList<SnapshotImage> images, QemuCommand command) =>
        Current(monitor.QueryBlock(), images, command);

    /// <summary>As <see cref="Current(QmpClient, IReadOnlyList{SnapshotImage}, QemuCommand)"/>, from QEMU's <c>query-block</c> asked already.</summary>
    public static List<SnapshotImage> Current(IReadOnlyList<BlockInfo> blocks, IReadOnlyList<SnapshotImage> images, QemuCommand command)
    {
        var result = new List<SnapshotImage>(images.Count);
        foreach (var image in images)
        {
            var alias = command.Disks.FirstOrDefault(d => d.Target == image.Name && !image.IsNvram)?.Alias;
            var block = alias is null ? null : blocks.FirstOrDefault(b => IsDevice(b.Qdev, alias));
            result.Add(block?.Inserted?.NodeName is { } node ? image with { Node = node } : image);
        }

        return result;
    }

    private static bool IsDevice(string? qdev, string alias) =>
        qdev is not null && (qdev == alias || qdev == "/machine/peripheral/" + alias || qdev.StartsWith("/machine/peripheral/" + alias + "/", StringComparison.Ordinal));

    private static int? IndexOf(string? nodeName)
    {
        if (nodeName is null || !nodeName.StartsWith("libvirt-", StringComparison.Ordinal))
        {
            return null;
        }

        int end = nodeName.IndexOf('-', "libvirt-".Length);
        return end > 0 && int.TryParse(nodeName.AsSpan("libvirt-".Length, end - "libvirt-".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            ? index
            : null;
    }
}
