using Virt.Cli.Parsing;
using Virt.Qemu.Images;

namespace Virt.Cli.Commands;

/// <summary>
/// Disk image commands (beyond virsh, in qemu-img 7.2's formats): image-info, image-create, image-snapshots.
/// They work on local files through <see cref="QemuImage"/> and need no connection; a command line made only
/// of them opens none. Library errors are printed as <c>error: MESSAGE</c> by the shell like every other command.
/// </summary>
internal static partial class ImageCommands
{
    private const CommandFlags Flags = CommandFlags.NoConnect | CommandFlags.Offline;

    public static CommandGroup Group => new("Image", "image",
    [
        new("image-create",
            [
                new("file", OptionType.Data, "image file to create (never overwritten)", OptionFlags.Required),
                new("size", OptionType.Data, "virtual size, like qemu-img (bytes, or with a suffix k, M, G, T, P, E: 10G); with --backing, defaults to the backing file's"),
                new("backing", OptionType.String, "backing file of the new overlay (a relative name is relative to the new file's directory)", OptionFlags.RequiresName),
                new("backing-format", OptionType.String, "format of the backing file: qcow2 or raw (required with --backing)", OptionFlags.RequiresName),
                new("cluster-size", OptionType.String, "cluster size, a power of two from 512 to 2M (default 64k)", OptionFlags.RequiresName),
                new("compat", OptionType.String, "qcow2 version: 1.1 (default) or 0.10", OptionFlags.RequiresName),
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
                OptionDef.Flag("json", "print the snapshot list as JSON (the objects of qemu-img info's \"snapshots\" array)"),
            ],
            "list internal snapshots of an image", "List the internal snapshots of a qcow2 image like qemu-img snapshot -l.", Snapshots, Flags),
    ]);

    private static bool Info(CommandContext context, ParsedCommand command)
    {
        string file = context.RequireString(command, "file");
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
        string file = context.RequireString(command, "file");
        var snapshots = QemuImage.ListSnapshots(file);
        context.Print(command.Has("json") ? ImageFormatter.SnapshotsJson(snapshots) : ImageFormatter.SnapshotsText(snapshots));
        return true;
    }
}
