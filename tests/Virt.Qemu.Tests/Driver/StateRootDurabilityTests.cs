using Virt.Conf;
using Virt.Qemu.Driver.State;
using Virt.TestSupport;

namespace Virt.Qemu.Tests.Driver;

/// <summary>What the kernel receives when the QEMU driver records a domain: each file is written to a temporary
/// name, fsynced, renamed over the old one and its folder fsynced, so a crash leaves the old record or the new one.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StateRootDurabilityTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("virt-state-durable-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void TheDefinitionIsFsyncedRenamedAndItsFolderFsynced()
    {
        var root = StateRoot.Embed(_root);
        var files = new DomainFiles(root);
        var def = DomainDefinition.Parse("<domain type='qemu'><name>vm</name><memory unit='KiB'>16384</memory><os><type>hvm</type></os></domain>");
        files.WriteConfig(def);
        string folder = root.DomainFolder("vm");

        string[] calls;
        using (var trace = SyscallTrace.OfThisThread())
        {
            files.WriteConfig(def);
            calls = SyscallTrace.Durability(trace.Stop(folder), folder);
        }

        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.EqualTo(new[] { "create .domain.xml.TEMP.tmp", "fsync .domain.xml.TEMP.tmp", "rename .domain.xml.TEMP.tmp domain.xml", "fsync DIR" }));
            Assert.That(files.ReadConfig("vm")?.Name, Is.EqualTo("vm"));
        });
    }

    /// <summary>The runtime status only describes a running QEMU, which a host crash ends with it (libvirt keeps the
    /// same file in /run): it is replaced atomically, never copied or written in place, but not fsynced, which keeps
    /// an fsync out of every revert and state change. A file a crash left empty reads as no status.</summary>
    [Test]
    public void TheStatusIsRenamedIntoPlaceWithoutFsync()
    {
        var root = StateRoot.Embed(_root);
        var files = new DomainFiles(root);
        var status = new DomainStatus { Name = "vm", Uuid = Guid.NewGuid(), Id = 1, Pid = 0, StartTime = 0, MonitorSocket = "/nonexistent.sock", LiveXml = "<domain/>" };
        string folder = root.RunFolder("vm");

        string[] calls;
        using (var trace = SyscallTrace.OfThisThread())
        {
            files.WriteStatus("vm", status);
            calls = SyscallTrace.Durability(trace.Stop(folder), folder);
        }

        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.EqualTo(new[] { "create .status.json.TEMP.tmp", "rename .status.json.TEMP.tmp status.json" }));
            Assert.That(files.ReadStatus("vm")?.Uuid, Is.EqualTo(status.Uuid));
        });
    }
}
