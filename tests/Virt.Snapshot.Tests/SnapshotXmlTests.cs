using Virt.TestSupport;

namespace Virt.Snapshot.Tests;

public class SnapshotXmlTests
{
    private const string ExternalRedefineXml = """
        <domainsnapshot>
          <name>ext</name>
          <description>external one</description>
          <state>disk-snapshot</state>
          <parent><name>s1</name></parent>
          <creationTime>1700000000</creationTime>
          <memory snapshot='no'/>
          <disks>
            <disk name='vda' snapshot='external' type='block'><driver type='qcow2'/><source dev='/dev/sdz'/></disk>
            <disk name='vdb' snapshot='no'/>
          </disks>
          <domain type='test'><name>test</name><uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid><memory>8388608</memory><os><type>hvm</type></os>
          <devices><disk type='file' device='disk'><source file='/guest/a'/><target dev='vda' bus='virtio'/></disk><disk type='file' device='disk'><source file='/guest/b'/><target dev='vdb' bus='virtio'/></disk></devices></domain>
          <inactiveDomain type='test'><name>test</name><uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid><memory>8388608</memory><os><type>hvm</type></os></inactiveDomain>
        </domainsnapshot>
        """;

    [Test]
    public void FormatOfParsedVirshDumpxmlEqualsItForRunningSnapshotsWithParentAndEscapedDescription()
    {
        var docs = ReferenceVirsh.SnapshotDocuments(ReferenceVirsh.Run(
            "snapshot-create-as test s1 --description \"d <&> 'x' \\\"q\\\"\"; snapshot-create-as test s2; snapshot-dumpxml test s1; snapshot-dumpxml test s2"));

        Assert.That(docs, Has.Count.EqualTo(2));
        foreach (string doc in docs)
        {
            Assert.That(SnapshotDefinition.Parse(doc, SnapshotParseFlags.Redefine).ToXml(), Is.EqualTo(doc));
        }

        var s2 = SnapshotDefinition.Parse(docs[1], SnapshotParseFlags.Redefine);
        Assert.Multiple(() =>
        {
            Assert.That(s2.Name, Is.EqualTo("s2"));
            Assert.That(s2.ParentName, Is.EqualTo("s1"));
            Assert.That(s2.State, Is.EqualTo(SnapshotState.Running));
            Assert.That(s2.Memory, Is.EqualTo(SnapshotLocation.Internal));
            Assert.That(s2.Disks, Has.Count.EqualTo(1));
            Assert.That(s2.Disks[0], Is.EqualTo(new SnapshotDiskDefinition { Name = "vda", Snapshot = SnapshotLocation.Internal }));
            Assert.That(s2.DomainXml, Does.StartWith("<domain type='test'>\n  <name>test</name>\n  <uuid>"));
            Assert.That(s2.DomainXml, Does.EndWith("</domain>\n"));
            Assert.That(SnapshotDefinition.Parse(docs[0], SnapshotParseFlags.Redefine).Description, Is.EqualTo("d <&> 'x' \"q\""));
        });
    }

    [Test]
    public void FormatEqualsVirshForASnapshotOfAShutOffDomain()
    {
        var docs = ReferenceVirsh.SnapshotDocuments(ReferenceVirsh.Run("destroy test; snapshot-create-as test off; snapshot-dumpxml test off"));

        var def = SnapshotDefinition.Parse(docs[0], SnapshotParseFlags.Redefine);
        Assert.Multiple(() =>
        {
            Assert.That(def.ToXml(), Is.EqualTo(docs[0]));
            Assert.That(def.State, Is.EqualTo(SnapshotState.Shutoff));
            Assert.That(def.Memory, Is.EqualTo(SnapshotLocation.No));
            Assert.That(def.IsOffline, Is.True);
        });
    }

    [Test]
    public void FormatEqualsVirshForExternalBlockDiskInactiveDomainAndEmptyDevices()
    {
        string file = Path.Combine(Path.GetTempPath(), "virt-snap-" + Guid.NewGuid().ToString("N") + ".xml");
        try
        {
            File.WriteAllText(file, ExternalRedefineXml);
            var docs = ReferenceVirsh.SnapshotDocuments(ReferenceVirsh.Run($"snapshot-create-as test s1; snapshot-create test {file} --redefine; snapshot-dumpxml test ext"));

            var def = SnapshotDefinition.Parse(docs[0], SnapshotParseFlags.Redefine);
            Assert.Multiple(() =>
            {
                Assert.That(def.ToXml(), Is.EqualTo(docs[0]));
                Assert.That(def.Disks[0], Is.EqualTo(new SnapshotDiskDefinition
                {
                    Name = "vda", Snapshot = SnapshotLocation.External, SourceType = "block", SourcePath = "/dev/sdz", DriverType = "qcow2",
                }));
                Assert.That(def.IsExternal, Is.True);
                Assert.That(def.InactiveDomainXml, Does.StartWith("<domain type='test'>\n"));
                Assert.That(def.InactiveDomainXml, Does.Contain("  <devices>\n  </devices>\n"));
            });
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void DomainXmlGivenAsAStandaloneStringIsReIndentedWhenEmbedded()
    {
        var def = new SnapshotDefinition
        {
            Name = "a",
            State = SnapshotState.Paused,
            CreationTime = 42,
            Memory = SnapshotLocation.External,
            MemoryFile = "/m/a'b.save",
            Disks = [new SnapshotDiskDefinition { Name = "vda", Snapshot = SnapshotLocation.External, SourcePath = "/i/a.qcow2", DriverType = "qcow2" }],
            DomainXml = "<domain type=\"kvm\">\n  <name>vm</name>\n  <os>\n    <type arch=\"x86_64\">hvm</type>\n  </os>\n</domain>\n",
            CookieXml = "<cpu mode='custom'>\n  <model>qemu64</model>\n</cpu>\n",
        };

        Assert.That(def.ToXml(), Is.EqualTo("""
            <domainsnapshot>
              <name>a</name>
              <state>paused</state>
              <creationTime>42</creationTime>
              <memory snapshot='external' file='/m/a&apos;b.save'/>
              <disks>
                <disk name='vda' snapshot='external'>
                  <driver type='qcow2'/>
                  <source file='/i/a.qcow2'/>
                </disk>
              </disks>
              <domain type='kvm'>
                <name>vm</name>
                <os>
                  <type arch='x86_64'>hvm</type>
                </os>
              </domain>
              <cookie>
                <cpu mode='custom'>
                  <model>qemu64</model>
                </cpu>
              </cookie>
            </domainsnapshot>

            """));
        Assert.That(SnapshotDefinition.Parse(def.ToXml(), SnapshotParseFlags.Redefine), Is.EqualTo(def).Using<SnapshotDefinition>(SameXml));
    }

    [Test]
    public void NewSnapshotXmlIgnoresStateParentTimeAndDomainAndNamesItselfAfterTheCreationTime()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_795_386_545);
        var def = SnapshotDefinition.Parse(
            "<domainsnapshot><description>x</description><state>paused</state><parent><name>p</name></parent><creationTime>5</creationTime><domain type='test'><name>t</name></domain></domainsnapshot>",
            SnapshotParseFlags.None, now);

        Assert.Multiple(() =>
        {
            Assert.That(def.Name, Is.EqualTo("1795386545"));
            Assert.That(def.CreationTime, Is.EqualTo(1_795_386_545));
            Assert.That(def.State, Is.EqualTo(SnapshotState.NoState));
            Assert.That(def.ParentName, Is.Null);
            Assert.That(def.DomainXml, Is.Null);
            Assert.That(def.Memory, Is.EqualTo(SnapshotLocation.Default));
            Assert.That(def.Description, Is.EqualTo("x"));
        });
    }

    [Test]
    public void DiskWithASourceButNoSnapshotAttributeIsExternal()
    {
        var def = SnapshotDefinition.Parse("<domainsnapshot><name>n</name><memory file='/m'/><disks><disk name='vda'><source file='/o.qcow2'/></disk></disks></domainsnapshot>");

        Assert.Multiple(() =>
        {
            Assert.That(def.Disks[0].Snapshot, Is.EqualTo(SnapshotLocation.External));
            Assert.That(def.Memory, Is.EqualTo(SnapshotLocation.External));
            Assert.That(def.MemoryFile, Is.EqualTo("/m"));
        });
    }

    // Messages as libvirt 9.0 words them (virsh -c test:///default snapshot-create[ --redefine]).
    [TestCase("<domainsnapshot><state>shutoff</state><creationTime>5</creationTime></domainsnapshot>", true, "a redefined snapshot must have a name")]
    [TestCase("<domainsnapshot><name>r</name><creationTime>5</creationTime></domainsnapshot>", true, "missing state from existing snapshot")]
    [TestCase("<domainsnapshot><name>r</name><state>shutoff</state><creationTime>5</creationTime><memory snapshot='internal'/></domainsnapshot>", true, "memory state cannot be saved with offline or disk-only snapshot")]
    [TestCase("<foo><name>r</name></foo>", false, "expecting root element of 'domainsnapshot', not 'foo'")]
    [TestCase("<domainsnapshot><name>r</name><memory snapshot='internal' file='/x'/></domainsnapshot>", false, "memory filename '/x' requires external snapshot")]
    [TestCase("<domainsnapshot><name>r</name><memory snapshot='external'/></domainsnapshot>", false, "external memory snapshots require a filename")]
    [TestCase("<domainsnapshot><name>r</name><memory snapshot='manual'/></domainsnapshot>", false, "'manual' memory snapshot mode not supported")]
    [TestCase("<domainsnapshot><name>r</name><memory snapshot='sometimes'/></domainsnapshot>", false, "unknown memory snapshot setting 'sometimes'")]
    [TestCase("<domainsnapshot><name>r</name><memory file='rel'/></domainsnapshot>", false, "memory snapshot file path (rel) must be absolute")]
    [TestCase("<domainsnapshot><name>r</name><disks><disk snapshot='internal'/></disks></domainsnapshot>", false, "missing name from disk snapshot element")]
    [TestCase("<domainsnapshot><name>r</name><disks><disk name='vda' snapshot='bad'/></disks></domainsnapshot>", false, "Invalid value for attribute 'snapshot' in element 'disk': 'bad'.")]
    [TestCase("<domainsnapshot><name>r</name><disks><disk name='vda'><source file='rel/x'/></disk></disks></domainsnapshot>", false, "disk snapshot image path 'rel/x' must be absolute")]
    public void InvalidXmlIsAnXmlErrorWithLibvirtsMessage(string xml, bool redefine, string message)
    {
        var ex = Assert.Throws<VirtException>(() => SnapshotDefinition.Parse(xml, redefine ? SnapshotParseFlags.Redefine : SnapshotParseFlags.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.XmlError));
            Assert.That(ex.Message, Is.EqualTo("XML error: " + message));
        });
    }

    // virsh 9.0 on test:///default: "error: unsupported configuration: Invalid state 'flying' in domain snapshot XML".
    [TestCase("bogus")]
    [TestCase("nostate")]
    public void AnUnknownStateIsUnsupportedConfigurationAsLibvirtSays(string state)
    {
        var ex = Assert.Throws<VirtException>(() => SnapshotDefinition.Parse(
            $"<domainsnapshot><name>r</name><state>{state}</state><creationTime>5</creationTime></domainsnapshot>", SnapshotParseFlags.Redefine));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.ConfigUnsupported));
            Assert.That(ex.Message, Is.EqualTo($"unsupported configuration: Invalid state '{state}' in domain snapshot XML"));
        });
    }

    // libvirt 9.0 (virXPathLongLong): missing, empty, malformed and out-of-range are all this internal error.
    [TestCase("")]
    [TestCase("<creationTime></creationTime>")]
    [TestCase("<creationTime>soon</creationTime>")]
    [TestCase("<creationTime>99999999999999999999</creationTime>")]
    [TestCase("<creationTime>5 </creationTime>")]
    [TestCase("<creationTime>5x</creationTime>")]
    public void RedefineWithoutAValidCreationTimeIsAnInternalErrorAsInLibvirt(string creationTime)
    {
        var ex = Assert.Throws<VirtException>(() => SnapshotDefinition.Parse(
            $"<domainsnapshot><name>r</name><state>shutoff</state>{creationTime}</domainsnapshot>", SnapshotParseFlags.Redefine));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.InternalError));
            Assert.That(ex.Message, Is.EqualTo("internal error: missing creationTime from existing snapshot"));
        });
    }

    [TestCase("<creationTime>-5</creationTime>", -5L)]
    [TestCase("<creationTime> +7</creationTime>", 7L)]
    [TestCase("<creationTime>\n  42</creationTime>", 42L)]
    public void RedefineCreationTimeAcceptsWhatStrtollAccepts(string creationTime, long expected)
    {
        var def = SnapshotDefinition.Parse($"<domainsnapshot><name>r</name><state>shutoff</state>{creationTime}</domainsnapshot>", SnapshotParseFlags.Redefine);

        Assert.That(def.CreationTime, Is.EqualTo(expected));
    }

    [Test]
    public void UnknownDiskDriverIsUnsupportedConfiguration()
    {
        var ex = Assert.Throws<VirtException>(() => SnapshotDefinition.Parse("<domainsnapshot><name>r</name><disks><disk name='vda'><driver type='bogus'/></disk></disks></domainsnapshot>"));

        Assert.That(ex!.Message, Is.EqualTo("unsupported configuration: unknown disk snapshot driver 'bogus'"));
    }

    [Test]
    public void DtdAndExternalEntitiesAreRefused()
    {
        string[] hostile =
        [
            "<!DOCTYPE foo [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><domainsnapshot><name>&x;</name></domainsnapshot>",
            "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><domainsnapshot><name>&lol2;</name></domainsnapshot>",
            "<!DOCTYPE domainsnapshot SYSTEM \"http://127.0.0.1:9/x.dtd\"><domainsnapshot><name>a</name></domainsnapshot>",
        ];
        foreach (string xml in hostile)
        {
            var ex = Assert.Throws<VirtException>(() => SnapshotDefinition.Parse(xml));
            Assert.Multiple(() =>
            {
                Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.XmlError));
                Assert.That(ex.Message, Does.StartWith("XML error: domain snapshot XML must not contain a DTD"));
            });
        }
    }

    [Test]
    public void TruncatedHugeAndDeepDocumentsAreXmlErrors()
    {
        var truncated = Assert.Throws<VirtException>(() => SnapshotDefinition.Parse("<domainsnapshot><name>r</name>"));
        string hugeXml = "<domainsnapshot><description>" + new string('x', 17 * 1024 * 1024) + "</description></domainsnapshot>";
        var huge = Assert.Throws<VirtException>(() => SnapshotDefinition.Parse(hugeXml));
        var deep = Assert.Throws<VirtException>(() => SnapshotDefinition.Parse("<domainsnapshot>" + string.Concat(Enumerable.Repeat("<a>", 100_000)) + string.Concat(Enumerable.Repeat("</a>", 100_000)) + "</domainsnapshot>"));
        var empty = Assert.Throws<VirtException>(() => SnapshotDefinition.Parse(""));

        Assert.Multiple(() =>
        {
            Assert.That(truncated!.Code, Is.EqualTo(VirtErrorCode.XmlError));
            Assert.That(truncated.Message, Does.StartWith("XML error: domain snapshot XML is malformed: "));
            Assert.That(huge!.Message, Is.EqualTo($"XML error: domain snapshot XML is {hugeXml.Length} characters long, more than the limit of 16777216"));
            Assert.That(deep!.Message, Is.EqualTo("XML error: domain snapshot XML nests elements deeper than 128 levels"));
            Assert.That(empty!.Code, Is.EqualTo(VirtErrorCode.XmlError));
        });
    }

    [Test]
    public void MalformedEmbeddedDomainStringIsAnXmlErrorWhenFormatting()
    {
        var def = new SnapshotDefinition { Name = "a", DomainXml = "<domain><name>x</domain>" };

        var ex = Assert.Throws<VirtException>(() => def.ToXml());
        Assert.That(ex!.Message, Does.StartWith("XML error: domain XML of the snapshot is malformed: "));
    }

    private static bool SameXml(SnapshotDefinition a, SnapshotDefinition b) => a.ToXml() == b.ToXml();
}
