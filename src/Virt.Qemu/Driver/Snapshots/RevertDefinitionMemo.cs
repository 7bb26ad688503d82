using Virt.Conf;
using Virt.Qemu.Driver.Process;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>
/// Remembers the last answer of the two pure, XML-heavy steps of an in-place revert, so that reverting to the same
/// snapshot again (a test harness resetting its guest) parses and writes no XML it already did: the command line a
/// live XML gives (the ABI check compares it), and the live XML a snapshot's definition becomes. Each answer is kept
/// with the exact inputs it came from and used only when they are equal, so it is what the step would compute now.
/// </summary>
internal sealed class RevertDefinitionMemo
{
    private ArgumentsEntry? _arguments;
    private LiveXmlEntry? _liveXml;

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

    /// <summary>
    /// The live XML of <paramref name="next"/> (parsed from <paramref name="definitionXml"/>, its missing UUID filled with
    /// <paramref name="uuid"/>) for the QEMU of id <paramref name="id"/>.
    /// </summary>
    public string LiveXmlOf(string? definitionXml, Guid uuid, int id, DomainDefinition next)
    {
        if (definitionXml is not null && Volatile.Read(ref _liveXml) is { } kept
            && kept.DefinitionXml == definitionXml && kept.Uuid == uuid && kept.Id == id)
        {
            return kept.LiveXml;
        }

        string liveXml = next.ToXml(id);
        if (definitionXml is not null)
        {
            Volatile.Write(ref _liveXml, new LiveXmlEntry(definitionXml, uuid, id, liveXml));
        }

        return liveXml;
    }

    private sealed record ArgumentsEntry(string LiveXml, QemuRuntimePaths Paths, IReadOnlyList<string> Arguments);

    private sealed record LiveXmlEntry(string DefinitionXml, Guid Uuid, int Id, string LiveXml);
}
