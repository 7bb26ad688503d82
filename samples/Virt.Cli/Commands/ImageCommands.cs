using System.Globalization;
using Virt.Cli.Parsing;
using Virt.Qemu.Images;

namespace Virt.Cli.Commands;

/// <summary>Disk image commands (beyond virsh, in qemu-img's formats): image-info, image-create, image-snapshots. They need no connection.</summary>
internal static class ImageCommands
{
    private const CommandFlags Flags = CommandFlags.NoConnect | CommandFlags.Offline;

    public static CommandGroup Group => new("Image", "image",
    [
        new("image-create",
            [
                new("file", OptionType.Data, "image file to create", OptionFlags.Required),
                new("size", OptionType.Data, "virtual size, like qemu-img (for example 10G); with --backing, defaults to the backing file's"),
                new("backing", OptionType.String, "backing file of the new overlay", OptionFlags.RequiresName),
                new("backing-format", OptionType.String, "format of the backing file", OptionFlags.RequiresName),
            ],
            "create a qcow2 image", "Create an empty qcow2 image, or an overlay on a backing file, like qemu-img create -f qcow2.", Create, Flags),
        new("image-info",
            [
                new("file", OptionType.Data, "image file", OptionFlags.Required),
                OptionDef.Flag("backing-chain", "also describe every backing file"),
                OptionDef.Flag("json", "print JSON like qemu-img info --output=json"),
            ],
            "image information", "Describe a disk image like qemu-img info.", Info, Flags),
        new("image-snapshots",
            [
                new("file", OptionType.Data, "image file", OptionFlags.Required),
                OptionDef.Flag("json", "print the snapshot list as JSON"),
            ],
            "list internal snapshots of an image", "List the internal snapshots of a qcow2 image like qemu-img snapshot -l.", Snapshots, Flags),
    ]);

    private static bool Info(CommandContext context, ParsedCommand command)
    {
        string file = context.GetString(command, "file") ?? command.Require("file");
        bool json = command.Has("json");
        if (command.Has("backing-chain"))
        {
            var chain = QemuImage.GetBackingChain(file);
            context.Print(json ? ImageFormatter.ChainJson(chain) : ImageFormatter.ChainText(chain));
        }
        else
        {
            var info = QemuImage.GetInfo(file);
            context.Print(json ? ImageFormatter.InfoJson(info) : ImageFormatter.InfoText(info));
        }

        return true;
    }

    private static bool Snapshots(CommandContext context, ParsedCommand command)
    {
        string file = context.GetString(command, "file") ?? command.Require("file");
        var snapshots = QemuImage.ListSnapshots(file);
        context.Print(command.Has("json") ? ImageFormatter.SnapshotsJson(snapshots) : ImageFormatter.SnapshotsText(snapshots));
        return true;
    }

    private static bool Create(CommandContext context, ParsedCommand command)
    {
        string file = context.GetString(command, "file") ?? command.Require("file");
        string? sizeText = context.GetString(command, "size");
        string? backing = context.GetString(command, "backing");
        string? backingFormat = context.GetString(command, "backing-format");
        if (backing is null && backingFormat is not null)
        {
            context.Error("--backing-format requires --backing");
            return false;
        }

        if (backing is null && sizeText is null)
        {
            context.Error("command 'image-create' requires <size> option unless --backing is given");
            return false;
        }

        long? size = null;
        if (sizeText is not null)
        {
            if (!ImageSize.TryParse(sizeText, out long parsed))
            {
                context.Error("Invalid image size specified. You may use k, M, G, T, P or E suffixes for");
                context.Error("kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.");
                return false;
            }

            size = parsed;
        }

        var options = new ImageCreateOptions();
        ImageInfo info;
        if (backing is null)
        {
            info = QemuImage.Create(file, size!.Value, options);
        }
        else
        {
            info = QemuImage.CreateOverlay(file, backing, backingFormat ?? "qcow2", options, size);
        }

        string backingPart = backing is null ? string.Empty : $" backing_file={backing} backing_fmt={backingFormat ?? "qcow2"}";
        context.Print(string.Create(CultureInfo.InvariantCulture,
            $"Formatting '{file}', fmt=qcow2 cluster_size={options.ClusterSize} extended_l2={(options.ExtendedL2 ? "on" : "off")} " +
            $"compression_type={options.CompressionType} size={info.VirtualSize}{backingPart} " +
            $"lazy_refcounts={(options.LazyRefcounts ? "on" : "off")} refcount_bits={options.RefcountBits}\n"));
        return true;
    }
}
