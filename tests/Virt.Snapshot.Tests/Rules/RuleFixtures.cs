using Virt.Conf;
using Virt.Snapshot.Rules;

namespace Virt.Snapshot.Tests.Rules;

/// <summary>Profiles and domains the rule tests share.</summary>
internal static class RuleFixtures
{
    public const string Uuid = "6695eb01-f6a4-8304-79aa-97f2502e193f";

    /// <summary>A profile like the test driver's, with a file probe that knows the paths given.</summary>
    public static SnapshotDriverProfile Profile(params string[] regularFiles) => new()
    {
        DriverName = "test",
        CreateFlags = SnapshotCreateFlags.Redefine | SnapshotCreateFlags.Current | SnapshotCreateFlags.Halt,
        CreateFunction = "testDomainSnapshotCreateXML",
        RevertFlags = SnapshotRevertFlags.Running | SnapshotRevertFlags.Paused | SnapshotRevertFlags.Force,
        RevertFunction = "testDomainRevertToSnapshot",
        IsRegularFile = regularFiles.Contains,
    };

    /// <summary>A QEMU-like profile: external memory, disk-only, its own function names.</summary>
    public static SnapshotDriverProfile QemuLike(params string[] regularFiles) => Profile(regularFiles) with
    {
        DriverName = "qemu",
        CreateFlags = (SnapshotCreateFlags)0x3FF,
        CreateFunction = "qemuDomainSnapshotCreateXML",
        RevertFlags = SnapshotRevertFlags.Running | SnapshotRevertFlags.Paused | SnapshotRevertFlags.Force | SnapshotRevertFlags.ResetNvram,
        RevertFunction = "qemuDomainRevertToSnapshot",
        ExternalMemory = true,
    };

    /// <summary>Domain XML with the given <c>&lt;disk&gt;</c> elements.</summary>
    public static string DomainXml(params string[] disks) =>
        $"<domain type='test'><name>vm</name><uuid>{Uuid}</uuid><memory>1024</memory><os><type>hvm</type></os><devices>{string.Concat(disks)}</devices></domain>";

    public static string FileDisk(string target, string? source, string extra = "", string device = "disk") =>
        $"<disk type='file' device='{device}'{extra}>{(source is null ? "" : $"<source file='{source}'/>")}<target dev='{target}' bus='virtio'/></disk>";

    public static List<DomainDisk> Disks(params string[] disks) => DomainDefinition.Parse(DomainXml(disks)).Devices.Disks.ToList();

    public static SnapshotDiskDefinition Disk(string name, SnapshotLocation location = SnapshotLocation.Default, string? path = null) =>
        new() { Name = name, Snapshot = location, SourcePath = path };

    public static VirtException Fails(Action action) => Assert.Throws<VirtException>(() => action())!;
}
