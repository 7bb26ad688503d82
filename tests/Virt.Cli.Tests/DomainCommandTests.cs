using Moq;

namespace Virt.Cli.Tests;

public sealed class DomainCommandTests
{
    [Test]
    public void DominfoOnQemuShowsOsTypeFromXmlAndNoSecurityModel()
    {
        var fake = new FakeHandles();
        var vm = fake.AddDomain("vm", 4);
        vm.Setup(d => d.GetInfo()).Returns(new DomainInfo(DomainState.Running, 2097152, 1048576, 2, TimeSpan.FromSeconds(12.34)));
        var result = fake.Run("dominfo vm");
        Assert.That(result.Stdout, Is.EqualTo(
            "Id:             4\n" +
            "Name:           vm\n" +
            $"UUID:           {vm.Object.Uuid}\n" +
            "OS Type:        hvm\n" +
            "State:          running\n" +
            "CPU(s):         2\n" +
            "CPU time:       12.3s\n" +
            "Max memory:     2097152 KiB\n" +
            "Used memory:    1048576 KiB\n" +
            "Persistent:     yes\n" +
            "Autostart:      disable\n" +
            "Managed save:   no\n\n"));
    }

    [Test]
    public void DominfoLeavesOutCpuTimeWhenZero()
    {
        var fake = new FakeHandles();
        var vm = fake.AddDomain("vm", null, DomainState.Shutoff);
        vm.Setup(d => d.GetInfo()).Returns(new DomainInfo(DomainState.Shutoff, 1024, 1024, 1, TimeSpan.Zero));
        Assert.That(fake.Run("dominfo vm").Stdout, Does.Contain("CPU(s):         1\nMax memory:     1024 KiB\n").And.StartWith("Id:             -\n"));
    }

    [Test]
    public void ListSortsRunningByIdThenInactiveByNameIgnoringCase()
    {
        var fake = new FakeHandles();
        var domains = new[]
        {
            fake.AddDomain("zed", null, DomainState.Shutoff).Object,
            fake.AddDomain("web", 7).Object,
            fake.AddDomain("Alpha", null, DomainState.Shutoff).Object,
            fake.AddDomain("db", 2, DomainState.Paused).Object,
        };
        fake.Connection.Setup(c => c.ListAllDomains(ListDomainsFlags.Active | ListDomainsFlags.Inactive)).Returns(domains);
        var result = fake.Run("list --all; list --all --name --id");
        Assert.That(result.Stdout, Is.EqualTo(
            " Id   Name    State\n" +
            "------------------------\n" +
            " 2    db      paused\n" +
            " 7    web     running\n" +
            " -    Alpha   shut off\n" +
            " -    zed     shut off\n\n" +
            "2 db\n7 web\n- Alpha\n- zed\n\n"));
    }

    [Test]
    public void QuietListHasNoHeaderAndNoTrailingBlankLine()
    {
        var fake = new FakeHandles();
        fake.Connection.Setup(c => c.ListAllDomains(ListDomainsFlags.Active)).Returns([fake.AddDomain("web", 12).Object]);
        Assert.That(fake.Run("-q", "list").Stdout, Is.EqualTo(" 12   web   running\n"));
    }

    [TestCase("list --state-running --state-paused --persistent", ListDomainsFlags.Running | ListDomainsFlags.Paused | ListDomainsFlags.Persistent)]
    [TestCase("list --inactive --with-snapshot", ListDomainsFlags.Inactive | ListDomainsFlags.HasSnapshot)]
    [TestCase("list --inactive --all --transient --state-other --without-snapshot --state-shutoff", ListDomainsFlags.Active | ListDomainsFlags.Inactive | ListDomainsFlags.Transient | ListDomainsFlags.Other | ListDomainsFlags.NoSnapshot | ListDomainsFlags.Shutoff)]
    public void ListPassesVirshsFilterFlags(string line, ListDomainsFlags flags)
    {
        var fake = new FakeHandles();
        fake.Connection.Setup(c => c.ListAllDomains(It.IsAny<ListDomainsFlags>())).Returns([]);
        fake.Run(line);
        fake.Connection.Verify(c => c.ListAllDomains(flags), Times.Once);
    }

    [Test]
    public void MonitorCommandWrapsBareWordsIntoQmp()
    {
        var fake = new FakeHandles();
        var vm = fake.AddDomain("vm", 1);
        vm.Setup(d => d.MonitorCommand(It.IsAny<string>(), It.IsAny<MonitorCommandFlags>())).Returns("{\"return\":{}}");
        var result = fake.Run("qemu-monitor-command vm query-block; qemu-monitor-command vm human-monitor-command '\"command-line\":\"info\"'; qemu-monitor-command vm '{\"execute\":\"stop\"}'");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.EqualTo("{\"return\":{}}\n\n{\"return\":{}}\n\n{\"return\":{}}\n\n"));
            vm.Verify(d => d.MonitorCommand("{\"execute\":\"query-block\"}", MonitorCommandFlags.None));
            vm.Verify(d => d.MonitorCommand("{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info\"}}", MonitorCommandFlags.None));
            vm.Verify(d => d.MonitorCommand("{\"execute\":\"stop\"}", MonitorCommandFlags.None));
        });
    }

    [Test]
    public void MonitorCommandHmpJoinsWordsAndPrintsTheReply()
    {
        var fake = new FakeHandles();
        var vm = fake.AddDomain("vm", 1);
        vm.Setup(d => d.MonitorCommand("info status", MonitorCommandFlags.Hmp)).Returns("VM status: running\r\n");
        Assert.That(fake.Run("qemu-monitor-command --hmp vm info status").Stdout, Is.EqualTo("VM status: running\r\n\n\n"));
    }

    [Test]
    public void MonitorCommandPrettyAndReturnValue()
    {
        var fake = new FakeHandles();
        var vm = fake.AddDomain("vm", 1);
        vm.Setup(d => d.MonitorCommand(It.IsAny<string>(), MonitorCommandFlags.None)).Returns("{\"return\":{\"status\":\"running\",\"running\":true},\"id\":\"x\"}");
        var result = fake.Run("qemu-monitor-command vm query-status --pretty; qemu-monitor-command vm query-status --return-value");
        Assert.That(result.Stdout, Is.EqualTo(
            "{\n  \"return\": {\n    \"status\": \"running\",\n    \"running\": true\n  },\n  \"id\": \"x\"\n}\n\n" +
            "{\"status\":\"running\",\"running\":true}\n\n"));
    }

    [Test]
    public void MonitorCommandWithUnwrappableArgumentsFailsBeforeSending()
    {
        var fake = new FakeHandles();
        var vm = fake.AddDomain("vm", 1);
        var result = fake.Run("qemu-monitor-command vm x y");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stderr, Does.StartWith("error: failed to wrap arguments 'y' into a QMP command wrapper\nerror: internal error: cannot parse json {y}: "));
            Assert.That(result.ExitCode, Is.EqualTo(1));
            vm.Verify(d => d.MonitorCommand(It.IsAny<string>(), It.IsAny<MonitorCommandFlags>()), Times.Never);
        });
    }

    [Test]
    public void StartAndUndefinePassTheirFlags()
    {
        var fake = new FakeHandles();
        var vm = fake.AddDomain("vm", null, DomainState.Shutoff);
        var result = fake.Run("start vm --paused --force-boot --reset-nvram --autodestroy; undefine vm --snapshots-metadata --nvram --managed-save");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.EqualTo("Domain 'vm' started\n\nDomain 'vm' has been undefined\n\n"));
            vm.Verify(d => d.Start(DomainStartFlags.Paused | DomainStartFlags.ForceBoot | DomainStartFlags.ResetNvram | DomainStartFlags.AutoDestroy, default));
            vm.Verify(d => d.Undefine(DomainUndefineFlags.SnapshotsMetadata | DomainUndefineFlags.Nvram | DomainUndefineFlags.ManagedSave));
        });
    }

    [Test]
    public void UndefineRejectsNvramWithKeepNvram()
    {
        var fake = new FakeHandles();
        fake.AddDomain("vm", null, DomainState.Shutoff);
        Assert.That(fake.Run("undefine vm --nvram --keep-nvram").Stderr, Is.EqualTo("error: Options --nvram and --keep-nvram are mutually exclusive\n"));
    }

    [TestCase("acpi", DomainShutdownFlags.AcpiPowerButton)]
    [TestCase("agent", DomainShutdownFlags.GuestAgent)]
    [TestCase("acpi,agent", DomainShutdownFlags.AcpiPowerButton | DomainShutdownFlags.GuestAgent)]
    public void ShutdownModeMapsToFlags(string mode, DomainShutdownFlags flags)
    {
        var fake = new FakeHandles();
        var vm = fake.AddDomain("vm", 1);
        Assert.That(fake.Run($"shutdown vm --mode {mode}").Stdout, Is.EqualTo("Domain 'vm' is being shutdown\n\n"));
        vm.Verify(d => d.Shutdown(flags));
    }

    [Test]
    public void ShutdownRejectsUnknownMode()
    {
        var fake = new FakeHandles();
        fake.AddDomain("vm", 1);
        Assert.That(fake.Run("shutdown vm --mode reboot").Stderr,
            Is.EqualTo("error: Unknown mode reboot value, expecting 'acpi', 'agent', 'initctl', 'signal' or 'paravirt'\n"));
    }

    [Test]
    public void LifecycleFailurePrintsVirshsPrefaceThenTheLibraryMessage()
    {
        var fake = new FakeHandles();
        var vm = fake.AddDomain("vm", null, DomainState.Shutoff);
        vm.Setup(d => d.Start(DomainStartFlags.None, default)).Throws(new VirtException(VirtErrorCode.OperationFailed, "QEMU exited: no kvm"));
        var result = fake.Run("start vm");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stderr, Is.EqualTo("error: Failed to start domain 'vm'\nerror: operation failed: QEMU exited: no kvm\n"));
            Assert.That(result.Stdout, Is.EqualTo("\n"));
            Assert.That(result.ExitCode, Is.EqualTo(1));
        });
    }

    [Test]
    public void DomblklistReadsDisksFromTheChosenDefinition()
    {
        var fake = new FakeHandles();
        var vm = fake.AddDomain("vm", 1);
        vm.Setup(d => d.GetXmlDescription(DomainXmlFlags.Inactive)).Returns(
            "<domain><devices>" +
            "<disk type='file' device='disk'><source file='/img/root.qcow2'/><target dev='vda'/></disk>" +
            "<disk type='network' device='disk'><source protocol='nbd' name='export'/><target dev='vdb'/></disk>" +
            "<disk type='file' device='cdrom'><target dev='sda'/></disk>" +
            "</devices></domain>");
        var result = fake.Run("domblklist vm --inactive --details");
        Assert.That(result.Stdout, Is.EqualTo(
            " Type      Device   Target   Source\n" +
            "----------------------------------------------\n" +
            " file      disk     vda      /img/root.qcow2\n" +
            " network   disk     vdb      export\n" +
            " file      cdrom    sda      -\n\n"));
    }

    [Test]
    public void DefineReportsAMissingFileLikeLibvirt()
    {
        var result = new FakeHandles().Run("define /nonexistent/dir/vm.xml");
        Assert.That(result.Stderr, Is.EqualTo("error: Failed to open file '/nonexistent/dir/vm.xml': No such file or directory\n"));
    }

    /// <summary>virsh 9.0 refuses an XML file over 10 MiB with libvirt's EOVERFLOW wording.</summary>
    [Test]
    public void DefineRefusesAFileOverTenMebibytesLikeLibvirt()
    {
        string path = Path.Combine(Path.GetTempPath(), $"virt-big-{Guid.NewGuid():N}.xml");
        try
        {
            using (var stream = File.Create(path))
            {
                stream.SetLength((10 * 1024 * 1024) + 1);
            }

            var result = new FakeHandles().Run($"define {path}");
            Assert.Multiple(() =>
            {
                Assert.That(result.Stderr, Is.EqualTo($"error: Failed to read file '{path}': Value too large for defined data type\n"));
                Assert.That(result.ExitCode, Is.EqualTo(1));
            });
        }
        finally
        {
            File.Delete(path);
        }
    }
}
