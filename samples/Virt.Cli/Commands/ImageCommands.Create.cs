using System.Globalization;
using System.Text;
using Virt.Cli.Parsing;
using Virt.Qemu.Images;

namespace Virt.Cli.Commands;

/// <summary>
/// <c>image-create</c>: a native <c>qemu-img create -f qcow2</c> that never overwrites a file and never guesses a
/// backing file's format. On success it prints qemu-img's "Formatting ..." line for the same options (informational,
/// so <c>-q</c> suppresses it, as qemu-img's own <c>-q</c> does); on failure nothing is created.
/// </summary>
internal static partial class ImageCommands
{
    private static bool Create(CommandContext context, ParsedCommand command)
    {
        string file = context.RequireString(command, "file");
        string? sizeText = context.GetString(command, "size");
        string? backing = context.GetString(command, "backing");
        string? backingFormat = context.GetString(command, "backing-format");
        string? clusterText = context.GetString(command, "cluster-size");
        string? compat = context.GetString(command, "compat");
        if (backing is null && backingFormat is not null)
        {
            context.Error("--backing-format requires --backing");
            return false;
        }

        if (backing is not null && backingFormat is null)
        {
            context.Error("--backing requires --backing-format (qcow2 or raw): virt never guesses a backing file's format");
            return false;
        }

        if (backing is null && sizeText is null)
        {
            context.Error("command 'image-create' requires <size> option unless --backing is given");
            return false;
        }

        long? size = sizeText is null ? null : ImageSize.Parse(sizeText);
        var options = new ImageCreateOptions();
        if (clusterText is not null)
        {
            options.ClusterSize = ParseClusterSize(clusterText);
        }

        if (compat is not null)
        {
            options.Compat = compat;
        }

        ImageInfo info;
        try
        {
            info = backing is null
                ? QemuImage.Create(file, size!.Value, options)
                : QemuImage.CreateOverlay(file, backing, backingFormat!, options, size);
        }
        catch (VirtException e) when (e.Code == VirtErrorCode.OperationInvalid && File.Exists(file))
        {
            // The library's message names ImageCreateOptions.Overwrite, which this command does not offer.
            throw new VirtException(VirtErrorCode.OperationInvalid, $"'{file}' already exists; image-create never overwrites a file: remove it or choose another name");
        }

        context.PrintExtra(FormattingLine(file, size ?? info.VirtualSize, compat, backing, backingFormat, options));
        return true;
    }

    private static int ParseClusterSize(string text)
    {
        long value = ImageSize.Parse(text);
        return value <= int.MaxValue
            ? (int)value
            : throw new VirtException(VirtErrorCode.InvalidArg,
                string.Create(CultureInfo.InvariantCulture, $"cluster size {value} is invalid: it must be a power of two between 512 and 2097152 (2 MiB)"));
    }

    /// <summary>qemu-img 7.2's line for the same options, in its order; <c>compat</c> appears only when it was given, as in qemu-img.</summary>
    private static string FormattingLine(string file, long size, string? compat, string? backing, string? backingFormat, ImageCreateOptions options)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture,
            $"Formatting '{file}', fmt=qcow2 cluster_size={options.ClusterSize} extended_l2={OnOff(options.ExtendedL2)} compression_type={options.CompressionType} size={size}");
        if (compat is not null)
        {
            line.Append(" compat=").Append(compat);
        }

        if (backing is not null)
        {
            line.Append(" backing_file=").Append(backing).Append(" backing_fmt=").Append(backingFormat);
        }

        line.Append(CultureInfo.InvariantCulture, $" lazy_refcounts={OnOff(options.LazyRefcounts)} refcount_bits={options.RefcountBits}\n");
        return line.ToString();
    }

    private static string OnOff(bool value) => value ? "on" : "off";
}
