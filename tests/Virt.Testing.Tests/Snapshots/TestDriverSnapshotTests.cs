using Virt.TestSupport;

namespace Virt.Testing.Tests.Snapshots;

/// <summary>test:///default snapshots, checked against libvirt 9.0's test driver (virsh) where it behaves the same.</summary>
public class TestDriverSnapshotTests : TestConnectionFixture
{
    private const string Snap = "<domainsnapshot><name>{0}</name></domainsnapshot>";
    private IVirtDomain _test = null!;

    [SetUp]
    public void LookUpTest() => _test = Connection.LookupDomainByName("test");

    private IVirtDomainSnapshot Create(string name, string? description = null) =>
        _test.CreateSnapshot(description is null
            ? string.Format(System.Globalization.CultureInfo.InvariantCulture, Snap, name)
            : $"<domainsnapshot><name>{name}</name><description>{description}</description></domainsnapshot>");

    private string State()
    {
        var s = _test.GetState();
        return s.State switch
        {
            DomainState.Running => "running " + (DomainRunningReason)s.Reason,
            DomainState.Paused => "paused " + (DomainPausedReason)s.Reason,
            DomainState.Shutoff => "shutoff " + (DomainShutoffReason)s.Reason,
            _ => s.State.ToString(),
        };
    }

    [Test]
    public void SnapshotXmlEqualsVirshSnapshotDumpxml()
    {
        var reference = ReferenceVirsh.SnapshotDocuments(ReferenceVirsh.Run(
            "snapshot-create-as test s1 --description 'd <&> x'; snapshot-create-as test s2; destroy test; snapshot-create-as test off; snapshot-dumpxml test s1; snapshot-dumpxml test s2; snapshot-dumpxml test off"));

        Create("s1", "d &lt;&amp;&gt; x");
        Create("s2");
        _test.Destroy();
        Create("off");
        string[] ours = ["s1", "s2", "off"];

        Assert.That(reference, Has.Count.EqualTo(3));
        for (int i = 0; i < 3; i++)
        {
            Assert.That(ReferenceVirsh.WithoutCreationTime(_test.LookupSnapshot(ours[i]).GetXmlDescription()),
                Is.EqualTo(ReferenceVirsh.WithoutCreationTime(reference[i])));
        }
    }

    [Test]
    public void ASnapshotWithoutANameIsNamedAfterItsCreationTime()
    {
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var snap = _test.CreateSnapshot("<domainsnapshot/>");
        long after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        Assert.That(long.Parse(snap.Name, System.Globalization.CultureInfo.InvariantCulture), Is.InRange(before, after));
        Assert.That(snap.GetXmlDescription(), Does.Contain($"<creationTime>{snap.Name}</creationTime>"));
    }

    [Test]
    public void NewSnapshotsBecomeCurrentUnderThePreviousCurrentAndRevertBranchesTheTree()
    {
        Assert.That(_test.HasCurrentSnapshot, Is.False);
        Create("a");
        Create("b");
        Create("c");
        _test.LookupSnapshot("b").Revert();
        Create("d");

        Assert.Multiple(() =>
        {
            Assert.That(_test.GetCurrentSnapshot().Name, Is.EqualTo("d"));
            Assert.That(_test.LookupSnapshot("d").IsCurrent, Is.True);
            Assert.That(_test.LookupSnapshot("c").IsCurrent, Is.False);
            Assert.That(_test.LookupSnapshot("d").GetParent().Name, Is.EqualTo("b"));
            Assert.That(_test.LookupSnapshot("b").ListChildren().Select(s => s.Name), Is.EqualTo(new[] { "c", "d" }));
            Assert.That(_test.LookupSnapshot("a").ListChildren(SnapshotListFlags.Descendants).Select(s => s.Name), Is.EqualTo(new[] { "b", "c", "d" }));
            Assert.That(_test.ListSnapshots(SnapshotListFlags.Leaves).Select(s => s.Name), Is.EqualTo(new[] { "c", "d" }));
            Assert.That(_test.ListSnapshots(SnapshotListFlags.Roots).Select(s => s.Name), Is.EqualTo(new[] { "a" }));
            Assert.That(_test.ListSnapshots(SnapshotListFlags.Roots | SnapshotListFlags.Leaves), Is.Empty);
            Assert.That(_test.ListSnapshots(SnapshotListFlags.Inactive), Is.Empty);
            Assert.That(_test.ListSnapshots(SnapshotListFlags.NoMetadata), Is.Empty);
            Assert.That(_test.LookupSnapshot("a").HasMetadata, Is.True);
        });
    }

    [Test]
    public void ErrorsAreWordedAsVirshShowsThem()
    {
        Create("a");

        Assert.Multiple(() =>
        {
            Assert.That(Fails(() => Create("a")).Message, Is.EqualTo("operation failed: domain moment a already exists"));
            Assert.That(Fails(() => _test.LookupSnapshot("nope")).Message, Is.EqualTo("Domain snapshot not found: no domain snapshot with matching name 'nope'"));
            Assert.That(Fails(() => _test.LookupSnapshot("a").GetParent()).Message, Is.EqualTo("Domain snapshot not found: snapshot 'a' does not have a parent"));
            Assert.That(Fails(() => _test.CreateSnapshot("<domainsnapshot/>", SnapshotCreateFlags.DiskOnly)).Message,
                Is.EqualTo("unsupported flags (0x10) in function testDomainSnapshotCreateXML"), "libvirt prints no 'invalid argument: ' prefix");
            Assert.That(Fails(() => _test.CreateSnapshot("<domainsnapshot/>", SnapshotCreateFlags.NoMetadata)).Message,
                Is.EqualTo("unsupported flags (0x4) in function testDomainSnapshotCreateXML"));
            Assert.That(Fails(() => _test.CreateSnapshot("<domainsnapshot/>", SnapshotCreateFlags.Current)).Message,
                Is.EqualTo("Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE' is required by flag 'VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT'"));
            Assert.That(Fails(() => _test.CreateSnapshot("<foo/>")).Message, Is.EqualTo("XML error: expecting root element of 'domainsnapshot', not 'foo'"));
            Assert.That(Fails(() => _test.LookupSnapshot("a").Delete(SnapshotDeleteFlags.Children | SnapshotDeleteFlags.ChildrenOnly)).Message,
                Is.EqualTo("Flags 'VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN' and 'VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY' are mutually exclusive"));
            Assert.That(Fails(() => _test.LookupSnapshot("a").Revert(SnapshotRevertFlags.Running | SnapshotRevertFlags.Paused)).Message,
                Is.EqualTo("Flags 'VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING' and 'VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED' are mutually exclusive"));
        });
    }

    [Test]
    public void FlagErrorsAreInvalidArgumentsWordedAndOrderedAsLibvirt9()
    {
        Create("a");
        var a = _test.LookupSnapshot("a");
        const string Redefine = "<domainsnapshot><name>r</name><state>running</state><creationTime>5</creationTime></domainsnapshot>";

        var errors = new[]
        {
            Fails(() => _test.CreateSnapshot("<domainsnapshot/>", SnapshotCreateFlags.ReuseExternal)),
            Fails(() => a.Revert(SnapshotRevertFlags.ResetNvram)),
            Fails(() => _test.CreateSnapshot(Redefine, SnapshotCreateFlags.Redefine | SnapshotCreateFlags.NoMetadata)),
            Fails(() => _test.CreateSnapshot(Redefine, SnapshotCreateFlags.Current | SnapshotCreateFlags.NoMetadata)),
            Fails(() => a.Delete(SnapshotDeleteFlags.MetadataOnly | SnapshotDeleteFlags.Children | SnapshotDeleteFlags.ChildrenOnly)),
            Fails(() => a.Revert(SnapshotRevertFlags.Running | SnapshotRevertFlags.Paused | SnapshotRevertFlags.ResetNvram)),
        };

        Assert.Multiple(() =>
        {
            Assert.That(errors.Select(e => e.Code), Is.All.EqualTo(VirtErrorCode.InvalidArg));
            Assert.That(errors.Select(e => e.Message), Is.EqualTo(new[]
            {
                "unsupported flags (0x20) in function testDomainSnapshotCreateXML",
                "unsupported flags (0x8) in function testDomainRevertToSnapshot",
                "Flags 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE' and 'VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA' are mutually exclusive",
                "Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE' is required by flag 'VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT'",
                "Flags 'VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN' and 'VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY' are mutually exclusive",
                "Flags 'VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING' and 'VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED' are mutually exclusive",
            }));
        });
    }

    [Test]
    public void DeleteWithMetadataOnlyIsRefusedAsByLibvirtsTestDriverAndChangesNothing()
    {
        Create("a");
        Create("b");

        var ex = Fails(() => _test.LookupSnapshot("b").Delete(SnapshotDeleteFlags.MetadataOnly));

        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
            Assert.That(ex.Message, Is.EqualTo("unsupported flags (0x2) in function testDomainSnapshotDelete"));
            Assert.That(_test.ListSnapshots().Select(s => s.Name), Is.EquivalentTo(new[] { "a", "b" }));
            Assert.That(_test.GetCurrentSnapshot().Name, Is.EqualTo("b"));
        });
    }

    [TestCase("")]
    [TestCase("<creationTime></creationTime>")]
    [TestCase("<creationTime>soon</creationTime>")]
    [TestCase("<creationTime>99999999999999999999</creationTime>")]
    [TestCase("<creationTime>5 </creationTime>")]
    public void RedefineWithoutAValidCreationTimeIsLibvirtsInternalError(string creationTime)
    {
        var ex = Fails(() => _test.CreateSnapshot(
            $"<domainsnapshot><name>r</name><state>running</state>{creationTime}<domain type='test'><name>test</name></domain></domainsnapshot>",
            SnapshotCreateFlags.Redefine));

        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.InternalError));
            Assert.That(ex.Message, Is.EqualTo("internal error: missing creationTime from existing snapshot"));
        });
    }

    [Test]
    public void NoCurrentSnapshotIsAnErrorFromTheDomainHandle()
    {
        var ex = Fails(() => _test.GetCurrentSnapshot());

        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.NoDomainSnapshot));
            Assert.That(ex.Message, Is.EqualTo("Domain snapshot not found: the domain does not have a current snapshot"));
        });
    }

    [Test]
    public void RedefineFollowsLibvirtsRules()
    {
        var a = Create("a");
        string aXml = a.GetXmlDescription();
        Create("b");

        Assert.Multiple(() =>
        {
            Assert.That(Fails(() => _test.CreateSnapshot("<domainsnapshot><name>r1</name><state>shutoff</state><creationTime>100</creationTime><parent><name>nope</name></parent></domainsnapshot>", SnapshotCreateFlags.Redefine)).Message,
                Is.EqualTo("invalid argument: parent nope for moment r1 not found"));
            Assert.That(Fails(() => _test.CreateSnapshot("<domainsnapshot><name>r4</name><state>shutoff</state><creationTime>100</creationTime></domainsnapshot>", SnapshotCreateFlags.Redefine)).Message,
                Is.EqualTo("internal error: missing domain in snapshot"));
            Assert.That(Fails(() => _test.CreateSnapshot("<domainsnapshot><name>r6</name><state>shutoff</state></domainsnapshot>", SnapshotCreateFlags.Redefine)).Message,
                Is.EqualTo("internal error: missing creationTime from existing snapshot"));
            Assert.That(Fails(() => _test.CreateSnapshot("<domainsnapshot><name>r9</name><state>shutoff</state><creationTime>5</creationTime><parent><name>r9</name></parent></domainsnapshot>", SnapshotCreateFlags.Redefine)).Message,
                Is.EqualTo("invalid argument: cannot set moment r9 as its own parent"));
            Assert.That(Fails(() => _test.CreateSnapshot(aXml.Replace("<state>running</state>", "<state>shutoff</state>", StringComparison.Ordinal).Replace("<memory snapshot='internal'/>", "<memory snapshot='no'/>", StringComparison.Ordinal), SnapshotCreateFlags.Redefine)).Message,
                Is.EqualTo("invalid argument: cannot change between online and offline snapshot state in snapshot a"));
            Assert.That(Fails(() => _test.CreateSnapshot(aXml.Replace("6695eb01-f6a4-8304-79aa-97f2502e193f", "00000000-0000-0000-0000-000000000001", StringComparison.Ordinal), SnapshotCreateFlags.Redefine)).Message,
                Is.EqualTo("invalid argument: definition for snapshot a must use uuid 6695eb01-f6a4-8304-79aa-97f2502e193f"));
        });

        // virsh snapshot-current test a: redefine the snapshot's own XML with CURRENT.
        var again = _test.CreateSnapshot(aXml, SnapshotCreateFlags.Redefine | SnapshotCreateFlags.Current);
        Assert.Multiple(() =>
        {
            Assert.That(again.Name, Is.EqualTo("a"));
            Assert.That(_test.GetCurrentSnapshot().Name, Is.EqualTo("a"));
            Assert.That(_test.LookupSnapshot("a").ListChildren().Select(s => s.Name), Is.EqualTo(new[] { "b" }));
            Assert.That(_test.LookupSnapshot("a").GetXmlDescription(), Is.EqualTo(aXml));
        });

        // Redefining without <domain> keeps the domain recorded before.
        _test.CreateSnapshot("<domainsnapshot><name>a</name><description>new</description><state>running</state><creationTime>7</creationTime></domainsnapshot>", SnapshotCreateFlags.Redefine);
        Assert.That(_test.LookupSnapshot("a").GetXmlDescription(), Does.Contain("<description>new</description>").And.Contain("<domain type='test'>"));
    }

    [Test]
    public void RevertSetsTheDomainStateAsLibvirtsTestDriverDoes()
    {
        var on = Create("on");
        Assert.That(State(), Is.EqualTo("running Unknown"));

        on.Revert();
        Assert.That(State(), Is.EqualTo("running FromSnapshot"));
        _test.Suspend();
        on.Revert();
        Assert.That(State(), Is.EqualTo("running FromSnapshot"));
        on.Revert(SnapshotRevertFlags.Paused);
        Assert.That(State(), Is.EqualTo("paused FromSnapshot"));
        on.Revert(SnapshotRevertFlags.Running);
        Assert.That(State(), Is.EqualTo("running FromSnapshot"));
        _test.Destroy();
        on.Revert();
        Assert.That(State(), Is.EqualTo("running FromSnapshot"));
        Assert.That(Connection.ListAllDomains(ListDomainsFlags.Active).Select(d => d.Name), Is.EqualTo(new[] { "test" }));
        _test.Destroy();
        on.Revert(SnapshotRevertFlags.Paused);
        Assert.That(State(), Is.EqualTo("paused FromSnapshot"));

        var paused = Create("p");
        Assert.That(paused.GetXmlDescription(), Does.Contain("<state>paused</state>"));
        _test.Destroy();
        paused.Revert();
        Assert.That(State(), Is.EqualTo("paused FromSnapshot"));
        paused.Revert(SnapshotRevertFlags.Running);
        Assert.That(State(), Is.EqualTo("running FromSnapshot"));
    }

    [Test]
    public void RevertToAShutOffSnapshotStopsTheDomainOrStartsItWhenAsked()
    {
        _test.Destroy();
        var off = Create("off");
        _test.Start();

        off.Revert();
        Assert.That(State(), Is.EqualTo("shutoff FromSnapshot"));
        off.Revert();
        Assert.That(State(), Is.EqualTo("shutoff FromSnapshot"));

        // libvirt's test driver reports success here but leaves the domain off; Virt honours the flag.
        off.Revert(SnapshotRevertFlags.Running);
        Assert.That(State(), Is.EqualTo("running FromSnapshot"));
        _test.Destroy();
        off.Revert(SnapshotRevertFlags.Paused);
        Assert.That(State(), Is.EqualTo("paused FromSnapshot"));
        Assert.That(_test.GetCurrentSnapshot().Name, Is.EqualTo("off"));
    }

    [Test]
    public void RevertToARunningSnapshotRestoresTheLiveDefinitionAndKeepsTheConfigChangedSince()
    {
        var a = Create("a");
        _test.Destroy();
        Connection.DefineDomain(TestHost.DefaultDomainXml.Replace("<vcpu placement='static'>2</vcpu>", "<vcpu placement='static'>4</vcpu>", StringComparison.Ordinal));
        Assert.That(_test.GetXmlDescription(), Does.Contain("<vcpu placement='static'>4</vcpu>"));

        a.Revert();

        Assert.Multiple(() =>
        {
            Assert.That(State(), Is.EqualTo("running FromSnapshot"));
            Assert.That(_test.GetXmlDescription(), Does.Contain("<vcpu placement='static'>2</vcpu>"));
            Assert.That(_test.GetXmlDescription(DomainXmlFlags.Inactive), Does.Contain("<vcpu placement='static'>4</vcpu>"));
            Assert.That(_test.IsUpdated, Is.True);
        });

        a.Revert();
        Assert.That(_test.GetXmlDescription(DomainXmlFlags.Inactive), Does.Contain("<vcpu placement='static'>4</vcpu>"), "also when reverting a running domain");
    }

    [Test]
    public void RevertToAShutOffSnapshotRestoresThePersistentDefinition()
    {
        _test.Destroy();
        var off = Create("off");
        Connection.DefineDomain(TestHost.DefaultDomainXml.Replace("<vcpu placement='static'>2</vcpu>", "<vcpu placement='static'>4</vcpu>", StringComparison.Ordinal));

        off.Revert();

        Assert.Multiple(() =>
        {
            Assert.That(State(), Is.EqualTo("shutoff Destroyed"), "as virsh: an inactive domain keeps its shut-off reason");
            Assert.That(_test.GetXmlDescription(DomainXmlFlags.Inactive), Does.Contain("<vcpu placement='static'>2</vcpu>"));
        });
    }

    [Test]
    public void HaltStopsTheDomainAfterTheSnapshotAndIsRefusedForTransientDomains()
    {
        var h = _test.CreateSnapshot(string.Format(System.Globalization.CultureInfo.InvariantCulture, Snap, "h"), SnapshotCreateFlags.Halt);

        Assert.Multiple(() =>
        {
            Assert.That(h.GetXmlDescription(), Does.Contain("<state>running</state>"));
            Assert.That(State(), Is.EqualTo("shutoff FromSnapshot"));
        });

        _test.Start();
        _test.Undefine(DomainUndefineFlags.None);
        Assert.Multiple(() =>
        {
            Assert.That(_test.ListSnapshots().Select(s => s.Name), Is.EqualTo(new[] { "h" }), "an active domain keeps its snapshots when undefined");
            Assert.That(Fails(() => _test.CreateSnapshot("<domainsnapshot/>", SnapshotCreateFlags.Halt)).Message,
                Is.EqualTo("Requested operation is not valid: cannot halt after transient domain snapshot"));
        });
    }

    [Test]
    public void TransientDomainsMustRunOrPauseToRevertToAnInactiveSnapshot()
    {
        _test.Destroy();
        var off = Create("off");
        _test.Start();
        _test.Undefine();

        var ex = Fails(() => off.Revert());

        Assert.That(ex.Message, Is.EqualTo("Requested operation is not valid: transient domain needs to request run or pause to revert to inactive snapshot"));
        off.Revert(SnapshotRevertFlags.Running);
        Assert.That(State(), Is.EqualTo("running FromSnapshot"));
    }

    [Test]
    public void UndefiningAnInactiveDomainWithSnapshotsNeedsTheMetadataFlag()
    {
        _test.Destroy();
        Create("a");

        var ex = Fails(() => _test.Undefine());
        Assert.That(ex.Message, Is.EqualTo("Requested operation is not valid: cannot delete inactive domain with 1 snapshots"));

        _test.Undefine(DomainUndefineFlags.SnapshotsMetadata);
        Assert.That(Connection.ListAllDomains(), Is.Empty);
    }

    [Test]
    public void DeleteVariantsMoveChildrenAndCurrentAsLibvirtDoes()
    {
        Create("a");
        Create("b");
        Create("c");
        _test.LookupSnapshot("a").Revert();
        _test.LookupSnapshot("a").Delete(SnapshotDeleteFlags.ChildrenOnly);
        Assert.Multiple(() =>
        {
            Assert.That(_test.ListSnapshots().Select(s => s.Name), Is.EqualTo(new[] { "a" }));
            Assert.That(_test.GetCurrentSnapshot().Name, Is.EqualTo("a"));
        });

        Create("d");
        Create("e");
        _test.LookupSnapshot("d").Revert();
        _test.LookupSnapshot("a").Delete(SnapshotDeleteFlags.Children);
        Assert.Multiple(() =>
        {
            Assert.That(_test.ListSnapshots(), Is.Empty);
            Assert.That(_test.HasCurrentSnapshot, Is.False);
        });

        Create("x");
        Create("y");
        Create("z");
        _test.LookupSnapshot("y").Revert();
        _test.LookupSnapshot("y").Delete(); // plain delete: libvirt 9.0's test driver rejects MetadataOnly
        Assert.Multiple(() =>
        {
            Assert.That(_test.GetCurrentSnapshot().Name, Is.EqualTo("x"));
            Assert.That(_test.LookupSnapshot("z").GetParent().Name, Is.EqualTo("x"));
            Assert.That(_test.LookupSnapshot("z").GetXmlDescription(), Does.Contain("<parent>\n    <name>x</name>\n  </parent>"));
        });
    }

    [Test]
    public void DisksAreAlignedWithTheDomainAsVirshShows()
    {
        const string D2 = """
            <domain type='test'><name>D2</name><uuid>88717e4f-c750-4421-a536-1e135e869776</uuid><memory>1024</memory><os><type>hvm</type></os><devices>
            <disk type='file' device='disk'><source file='/a.img'/><target dev='vda' bus='virtio'/></disk>
            <disk type='file' device='cdrom'><source file='/c.iso'/><target dev='hdc' bus='ide'/><readonly/></disk>
            <disk type='file' device='disk'><source file='/b.img'/><target dev='vdb' bus='virtio'/><readonly/></disk>
            <disk type='block' device='disk'><source dev='/dev/sdq'/><target dev='vdc' bus='virtio'/></disk>
            </devices></domain>
            """;
        string file = Path.Combine(Path.GetTempPath(), "virt-D2-" + Guid.NewGuid().ToString("N") + ".xml");
        File.WriteAllText(file, D2);
        string reference;
        try
        {
            reference = ReferenceVirsh.SnapshotDocuments(ReferenceVirsh.Run($"define {file}; snapshot-create-as D2 s; snapshot-dumpxml D2 s")).Single();
        }
        finally
        {
            File.Delete(file);
        }

        var dom = Connection.DefineDomain(D2);
        var s = dom.CreateSnapshot("<domainsnapshot><name>s</name></domainsnapshot>");

        Assert.Multiple(() =>
        {
            Assert.That(ReferenceVirsh.WithoutCreationTime(s.GetXmlDescription()), Is.EqualTo(ReferenceVirsh.WithoutCreationTime(reference)));
            Assert.That(Fails(() => dom.CreateSnapshot("<domainsnapshot><name>y</name><disks><disk name='nope'/></disks></domainsnapshot>")).Message,
                Is.EqualTo("unsupported configuration: no disk named 'nope'"));
            Assert.That(Fails(() => dom.CreateSnapshot("<domainsnapshot><name>z</name><disks><disk name='vda'/><disk name='/a.img'/></disks></domainsnapshot>")).Message,
                Is.EqualTo("unsupported configuration: disk '/a.img' specified twice"));
            Assert.That(Fails(() => dom.CreateSnapshot("<domainsnapshot><name>x</name><disks><disk name='vdc' snapshot='no'/></disks></domainsnapshot>")).Message,
                Is.EqualTo("unsupported configuration: disk 'vdc' must use snapshot mode 'internal'"));
        });
    }
}
