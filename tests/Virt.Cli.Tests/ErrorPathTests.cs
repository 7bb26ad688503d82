using Moq;

namespace Virt.Cli.Tests;

/// <summary>Failure paths the test driver cannot produce, injected through Moq'd handles.</summary>
public sealed class ErrorPathTests
{
    private static void AssertFails(CliRunner.Result result, string stderr)
    {
        Assert.Multiple(() =>
        {
            Assert.That(result.Stderr, Is.EqualTo(stderr));
            Assert.That(result.ExitCode, Is.EqualTo(1));
        });
    }

    [Test]
    public void DefineFailurePrintsVirshsPrefaceThenTheXmlError()
    {
        var fake = new FakeHandles();
        fake.Connection.Setup(c => c.DefineDomain(It.IsAny<string>(), DomainDefineFlags.Validate))
            .Throws(new VirtException(VirtErrorCode.XmlError, "missing <name>"));
        string path = Path.Combine(Path.GetTempPath(), $"virt-def-{Guid.NewGuid():N}.xml");
        File.WriteAllText(path, "<domain/>");
        try
        {
            AssertFails(fake.Run($"define {path} --validate"), $"error: Failed to define domain from {path}\nerror: XML error: missing <name>\n");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void UndefineFailurePrintsVirshsPreface()
    {
        var fake = new FakeHandles();
        var vm = fake.AddDomain("vm", null, DomainState.Shutoff);
        vm.Setup(d => d.Undefine(DomainUndefineFlags.None))
            .Throws(new VirtException(VirtErrorCode.OperationInvalid, "cannot undefine domain with 2 snapshots"));
        AssertFails(fake.Run("undefine vm"),
            "error: Failed to undefine domain 'vm'\nerror: Requested operation is not valid: cannot undefine domain with 2 snapshots\n");
    }

    [Test]
    public void ListFailurePrintsVirshsPreface()
    {
        var fake = new FakeHandles();
        fake.Connection.Setup(c => c.ListAllDomains(It.IsAny<ListDomainsFlags>())).Throws(new VirtException(VirtErrorCode.SystemError, "cannot read state root"));
        AssertFails(fake.Run("list --all"), "error: Failed to list domains\nerror: cannot read state root\n");
    }

    [Test]
    public void DomblklistRejectsADiskWithoutTarget()
    {
        var fake = new FakeHandles();
        fake.AddDomain("vm", 1, xml: "<domain><devices><disk type='file' device='disk'><source file='/a'/></disk></devices></domain>");
        AssertFails(fake.Run("domblklist vm"), "error: unable to query block list\n");
    }

    [Test]
    public void MonitorCommandOptionConflictsAndMissingReturn()
    {
        var fake = new FakeHandles();
        var vm = fake.AddDomain("vm", 1);
        vm.Setup(d => d.MonitorCommand(It.IsAny<string>(), MonitorCommandFlags.None)).Returns("{\"error\":{\"class\":\"GenericError\"}}");
        Assert.Multiple(() =>
        {
            AssertFails(fake.Run("qemu-monitor-command vm --hmp --return-value info"), "error: Options --hmp and --return-value are mutually exclusive\n");
            AssertFails(fake.Run("qemu-monitor-command vm --return-value query-status"), "error: 'return' member missing\n");
        });
    }

    [Test]
    public void MonitorCommandFailureIsTheLibraryMessageAlone()
    {
        var fake = new FakeHandles();
        var vm = fake.AddDomain("vm", null, DomainState.Shutoff);
        vm.Setup(d => d.MonitorCommand(It.IsAny<string>(), It.IsAny<MonitorCommandFlags>()))
            .Throws(new VirtException(VirtErrorCode.OperationInvalid, "domain is not running"));
        AssertFails(fake.Run("qemu-monitor-command vm query-status"), "error: Requested operation is not valid: domain is not running\n");
    }

    [Test]
    public void VersionFailurePrintsVirshsPreface()
    {
        var fake = new FakeHandles();
        fake.Connection.Setup(c => c.GetHypervisorVersion()).Throws(new VirtException(VirtErrorCode.OperationFailed, "qemu-system-x86_64 not found"));
        var result = fake.Run("version");
        Assert.Multiple(() =>
        {
            AssertFails(result, "error: failed to get the hypervisor version\nerror: operation failed: qemu-system-x86_64 not found\n");
            Assert.That(result.Stdout, Does.StartWith("Compiled against library: virt "));
        });
    }

    [Test]
    public void SnapshotCreateWithHaltReportsADomainStillRunning()
    {
        var fake = new FakeHandles();
        var vm = fake.AddDomain("vm", 1);
        var snapshot = new Mock<IVirtDomainSnapshot>();
        snapshot.SetupGet(s => s.Name).Returns("s");
        vm.Setup(d => d.CreateSnapshot(It.IsAny<string>(), SnapshotCreateFlags.Halt, null, default)).Returns(snapshot.Object);
        AssertFails(fake.Run("snapshot-create-as vm s --halt"), "error: domain unexpectedly still running\n");
    }

    [Test]
    public void SnapshotDeleteFailurePrintsVirshsPreface()
    {
        var fake = new FakeHandles();
        var vm = fake.AddDomain("vm", 1);
        var snaps = new FakeSnapshots(vm);
        snaps.Add("s1", null).Setup(s => s.Delete(SnapshotDeleteFlags.None, null, default))
            .Throws(new VirtException(VirtErrorCode.OperationInvalid, "snapshot is in use"));
        AssertFails(fake.Run("snapshot-delete vm s1"), "error: Failed to delete snapshot s1\nerror: Requested operation is not valid: snapshot is in use\n");
    }

    [Test]
    public void SnapshotCurrentCannotSetAndPrintAtOnce()
    {
        var fake = new FakeHandles();
        var vm = fake.AddDomain("vm", 1);
        new FakeSnapshots(vm).Add("s1", null);
        AssertFails(fake.Run("snapshot-current vm s1 --name"), "error: Options --name and --snapshotname are mutually exclusive\n");
    }

    [Test]
    public void InvalidXPathIsReportedAndNothingIsPrinted()
    {
        var fake = new FakeHandles();
        fake.AddDomain("vm", 1);
        var result = fake.Run("dumpxml vm --xpath '//['");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stderr, Does.StartWith("XPath error : Invalid expression\n//[\n"));
            Assert.That(result.Stdout, Is.EqualTo("\n"));
            Assert.That(result.ExitCode, Is.EqualTo(1));
        });
    }
}
