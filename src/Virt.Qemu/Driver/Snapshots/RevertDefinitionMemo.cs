using Virt.Conf;
using Virt.Qemu.Driver.Process;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>
/// Remembers the last answer of the pure, XML-heavy steps of an in-place revert, so that reverting to the same
/// snapshot again (a test harness resetting its guest) parses and writes no XML it already did: the command line a
/// live XML gives (the ABI check compares it), the command line and the images of the definition a snapshot records,
/// and the live XML that definition becomes. Each answer is kept with the exact inputs it came from and used only when
/// they are equal, so it is what the step would compute now.
/// </summary>
internal sealed class RevertDefinitionMemo
{
    private ArgumentsEntry? _arguments;
    private LiveXmlEntry? _liveXml;
    private CommandEntry? _command;

    /// <summary>The arguments of the command line <paramref name="liveXml"/> runs with under <paramref name="paths"/>.</summary>
    public IReadOnlyList<string> ArgumentsOf(string liveXml, QemuRuntimePaths paths)
    {
        if (Volatile.Read(ref _arguments) is { } kept && kept.LiveXml == liveXml && kept.Paths == paths)
        {
            return kept.Arguments;
        }

        var arguments = QemuCommandLine.Build(DomainDefinition.Parse(liveXml), paths).Arguments;
        Volatile.Write(ref _arguments, new ArgumentsEntry(liveXml, paths, arguments));
        return arguments;
    }

    /// <summary>The command line and the images (as <see cref="SnapshotImages.Of"/> names them) of the definition
    /// <paramref name="definitionXml"/> (its missing UUID filled with <paramref name="uuid"/>) under <paramref name="paths"/>;
    /// <paramref name="parse"/> gives that definition when they must be computed.</summary>
    public (QemuCommand Command, IReadOnlyList<SnapshotImage> Images) CommandOf(string definitionXml, Guid uuid, QemuRuntimePaths paths, Func<DomainDefinition> parse)
    {
        if (Volatile.Read(ref _command) is { } kept && kept.DefinitionXml == definitionXml && kept.Uuid == uuid && kept.Paths == paths)
        {
            return (kept.Command, kept.Images);
        }

        var def = parse();
        var command = QemuCommandLine.Build(def, paths);
        var images = SnapshotImages.Of(def, command);
        Volatile.Write(ref _command, new CommandEntry(definitionXml, uuid, paths, command, images));
        return (command, images);
    }

    /// <summary>
    /// The live XML of <paramref name="next"/> (parsed from <paramref name="definitionXml"/>, its missing UUID filled with
    /// <paramref name="uuid"/>) for the QEMU of id <paramref name="id"/>.
    /// </summary>
    public string LiveXmlOf(string? definitionXml, Guid uuid, int id, DomainDefinition next) => LiveXmlOf(definitionXml, uuid, id, () => next);

    /// <summary>As <see cref="LiveXmlOf(string?, Guid, int, DomainDefinition)"/>, with the definition given only when
    /// the live XML must be computed.</summary>
    public string LiveXmlOf(string? definitionXml, Guid uuid, int id, Func<DomainDefinition> next)
    {
        if (definitionXml is not null && Volatile.Read(ref _liveXml) is { } kept
            && kept.DefinitionXml == definitionXml && kept.Uuid == uuid && kept.Id == id)
        {
            return kept.LiveXml;
        }

        string liveXml = next().ToXml(id);
        if (definitionXml is not null)
        {
            Volatile.Write(ref _liveXml, new LiveXmlEntry(definitionXml, uuid, id, liveXml));
        }

        return liveXml;
    }

    private sealed record ArgumentsEntry(string LiveXml, QemuRuntimePaths Paths, IReadOnlyList<string> Arguments);

    private sealed record CommandEntry(string DefinitionXml, Guid Uuid, QemuRuntimePaths Paths, QemuCommand Command, IReadOnlyList<SnapshotImage> Images);

    private sealed record LiveXmlEntry(string DefinitionXml, Guid Uuid, int Id, string LiveXml);
}
