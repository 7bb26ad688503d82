using Virt.Conf;

namespace Virt.Core.Tests.Conf;

public sealed class DomainXmlHostileInputTests
{
    private const string Body = "<name>x</name><memory>1024</memory><os><type>hvm</type></os>";

    private static VirtException ParseFails(string xml) =>
        Assert.Throws<VirtException>(() => DomainDefinition.Parse(xml))!;

    [Test]
    public void DtdIsRefused()
    {
        var ex = ParseFails("<!DOCTYPE domain [<!ELEMENT domain ANY>]><domain type='test'>" + Body + "</domain>");
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.XmlError));
            Assert.That(ex.Message, Is.EqualTo("XML error: document type definitions (DTDs) and entity declarations are not allowed; remove the <!DOCTYPE> declaration"));
        });
    }

    [Test]
    public void ExternalEntityIsRefusedAndNeverRead()
    {
        string secret = Path.GetTempFileName();
        try
        {
            File.WriteAllText(secret, "leaked");
            var ex = ParseFails($"<?xml version='1.0'?><!DOCTYPE domain [<!ENTITY xxe SYSTEM 'file://{secret}'>]>"
                + "<domain type='test'><name>&xxe;</name><memory>1</memory><os><type>hvm</type></os></domain>");
            Assert.Multiple(() =>
            {
                Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.XmlError));
                Assert.That(ex.Message, Does.Contain("DTDs"));
                Assert.That(ex.Message, Does.Not.Contain("leaked"));
            });
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Test]
    public void BillionLaughsIsRefused()
    {
        var entities = new System.Text.StringBuilder("<!ENTITY l0 'lol'>");
        for (int i = 1; i < 10; i++)
        {
            entities.Append($"<!ENTITY l{i} '{string.Concat(Enumerable.Repeat($"&l{i - 1};", 10))}'>");
        }

        var ex = ParseFails($"<!DOCTYPE domain [{entities}]><domain type='test'><name>&l9;</name><memory>1</memory><os><type>hvm</type></os></domain>");
        Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.XmlError));
    }

    [Test]
    public void TruncatedDocumentReportsWhere()
    {
        var ex = ParseFails("<domain type='test'>\n  <name>x</name>\n  <memory>1024</memory>\n  <os><type>hvm</type></os>\n");
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.XmlError));
            Assert.That(ex.Message, Does.StartWith("XML error: malformed document: "));
            Assert.That(ex.Message, Does.Contain("Line 5"));
        });
    }

    [Test]
    public void EmptyDocumentIsXmlError() =>
        Assert.That(ParseFails("").Code, Is.EqualTo(VirtErrorCode.XmlError));

    [Test]
    public void WrongRootUsesLibvirtWording() =>
        Assert.That(ParseFails("<dom type='test'><name>x</name></dom>").Message,
            Is.EqualTo("XML error: expecting root element of 'domain', not 'dom' at line 1, position 2"));

    [Test]
    public void NamespacedRootSaysSo() =>
        Assert.That(ParseFails("<domain xmlns='urn:x' type='test'><name>x</name></domain>").Message,
            Is.EqualTo("XML error: the root element 'domain' must not have a namespace (found 'urn:x') at line 1, position 2"));

    [Test]
    public void NonNumericMemoryUsesLibvirtWording() =>
        Assert.That(ParseFails("<domain type='test'><name>x</name><memory>abc</memory><os><type>hvm</type></os></domain>").Message,
            Is.EqualTo("XML error: Invalid value 'abc' for element or attribute './memory[1]' at line 1, position 36"));

    [Test]
    public void NegativeMemoryIsRefused() =>
        Assert.That(ParseFails("<domain type='test'><name>x</name><memory>-5</memory><os><type>hvm</type></os></domain>").Message,
            Does.StartWith("XML error: Invalid value '-5' for element or attribute './memory[1]'"));

    [Test]
    public void MemoryOverflowIsRefused() =>
        Assert.That(ParseFails("<domain type='test'><name>x</name><memory unit='EiB'>100</memory><os><type>hvm</type></os></domain>").Message,
            Does.StartWith("XML error: value too large: 100 EiB for './memory[1]'"));

    [Test]
    public void UnknownUnitIsRefused() =>
        Assert.That(ParseFails("<domain type='test'><name>x</name><memory unit='parsecs'>1</memory><os><type>hvm</type></os></domain>").Message,
            Does.StartWith("XML error: unknown suffix 'parsecs'"));

    [Test]
    public void DuplicateNameIsRefused() =>
        Assert.That(ParseFails("<domain type='test'><name>x</name><name>y</name><memory>1</memory><os><type>hvm</type></os></domain>").Message,
            Is.EqualTo("XML error: element 'name' appears more than once in domain at line 1, position 36; keep only one"));

    [Test]
    public void DuplicateMemoryIsRefused() =>
        Assert.That(ParseFails("<domain type='test'><name>x</name><memory>1</memory><memory>2</memory><os><type>hvm</type></os></domain>").Message,
            Does.StartWith("XML error: element 'memory' appears more than once in domain"));

    [Test]
    public void MissingNameSaysWhichElement() =>
        Assert.That(ParseFails("<domain type='test'><memory>1024</memory><os><type>hvm</type></os></domain>").Message,
            Is.EqualTo("XML error: missing name information: the required element 'name' is missing or empty in domain at line 1, position 2"));

    [Test]
    public void MissingTypeAttribute() =>
        Assert.That(ParseFails("<domain>" + Body + "</domain>").Message,
            Does.StartWith("XML error: missing domain type attribute"));

    [Test]
    public void InvalidDomainTypeUsesLibvirtWording() =>
        Assert.That(ParseFails("<domain type='foo'>" + Body + "</domain>").Message,
            Is.EqualTo("XML error: invalid domain type foo at line 1, position 9"));

    [Test]
    public void MalformedUuid() =>
        Assert.That(ParseFails("<domain type='test'><name>x</name><uuid>zz</uuid><memory>1</memory><os><type>hvm</type></os></domain>").Message,
            Does.StartWith("XML error: malformed uuid element at line 1"));

    [Test]
    public void MissingMemoryUsesLibvirtWording() =>
        Assert.That(ParseFails("<domain type='test'><name>x</name><os><type>hvm</type></os></domain>").Message,
            Does.StartWith("XML error: Memory size must be specified via <memory> or in the <numa> configuration"));

    [TestCase("<memory>0</memory>")]
    [TestCase("<memory unit='KiB'>0</memory>")]
    [TestCase("<memory unit='b'>0</memory>")]
    public void ZeroMemoryIsRefusedLikeMissingMemory(string memory)
    {
        // virsh -c test:///default define: "XML error: Memory size must be specified via <memory> or in the <numa> configuration".
        var ex = ParseFails("<domain type='test'><name>x</name>" + memory + "<os><type>hvm</type></os></domain>");
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.XmlError));
            Assert.That(ex.Message, Does.StartWith("XML error: Memory size must be specified via <memory> or in the <numa> configuration"));
        });
    }

    [Test]
    public void OneByteOfMemoryIsRoundedUpAndAccepted() =>
        Assert.That(DomainDefinition.Parse("<domain type='test'><name>x</name><memory unit='b'>1</memory><os><type>hvm</type></os></domain>").MemoryKiB,
            Is.EqualTo(1UL));

    [Test]
    public void MissingOsTypeUsesLibvirtWording() =>
        Assert.That(ParseFails("<domain type='test'><name>x</name><memory>1</memory></domain>").Message,
            Does.StartWith("XML error: an os <type> must be specified"));

    [Test]
    public void NonNumericVcpu() =>
        Assert.That(ParseFails("<domain type='test'><name>x</name><memory>1</memory><vcpu>abc</vcpu><os><type>hvm</type></os></domain>").Message,
            Does.StartWith("XML error: maximum vcpus count must be an integer"));

    [Test]
    public void NameWithSlash() =>
        Assert.That(ParseFails("<domain type='test'><name>x/y</name><memory>1</memory><os><type>hvm</type></os></domain>").Message,
            Does.StartWith("XML error: name x/y cannot contain '/'"));

    [Test]
    public void TitleWithNewline() =>
        Assert.That(ParseFails("<domain type='test'><name>x</name><title>a\nb</title><memory>1</memory><os><type>hvm</type></os></domain>").Message,
            Does.StartWith("XML error: Domain title can't contain newlines"));

    [Test]
    public void UnknownLifecycleAction() =>
        Assert.That(ParseFails("<domain type='test'>" + Body + "<on_crash>foo</on_crash></domain>").Message,
            Does.StartWith("XML error: unknown on_crash action: foo"));

    [Test]
    public void DiskWithoutTarget() =>
        Assert.That(ParseFails("<domain type='test'>" + Body + "<devices><disk type='file' device='disk'><source file='/a'/></disk></devices></domain>").Message,
            Does.StartWith("XML error: missing target information for device /a"));

    [Test]
    public void PerDeviceBootWithOsBootIsUnsupported()
    {
        var ex = ParseFails("<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type><boot dev='hd'/></os>"
            + "<devices><disk type='file'><source file='/a'/><target dev='vda'/><boot order='1'/></disk></devices></domain>");
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.ConfigUnsupported));
            Assert.That(ex.Message, Is.EqualTo("unsupported configuration: per-device boot elements cannot be used together with os/boot elements"));
        });
    }

    [Test]
    public void DeepNestingIsRefused()
    {
        string deep = string.Concat(Enumerable.Repeat("<x>", 200)) + string.Concat(Enumerable.Repeat("</x>", 200));
        var ex = ParseFails("<domain type='test'>" + Body + "<metadata>" + deep + "</metadata></domain>");
        Assert.That(ex.Message, Does.StartWith("XML error: elements are nested deeper than 64 levels at line 1"));
    }

    [Test]
    public void TooManyElementsAreRefused()
    {
        string many = string.Concat(Enumerable.Repeat("<input type='mouse' bus='ps2'/>", 50_001));
        var ex = ParseFails("<domain type='test'>" + Body + "<devices>" + many + "</devices></domain>");
        Assert.That(ex.Message, Does.StartWith("XML error: the document has more than 50000 elements at line 1"));
    }

    [Test]
    public void LargestAcceptedDocumentsParseAndFormat()
    {
        // Near the element cap, with the kinds of children whose handling could be quadratic.
        string serials = string.Concat(Enumerable.Range(0, 3000).Select(_ => "<serial type='pty'/>"));
        string disks = string.Concat(Enumerable.Range(0, 3000).Select(i => $"<disk><target dev='vd{(char)('a' + i % 26)}{(char)('a' + i / 26 % 26)}{(char)('a' + i / 676)}'/></disk>"));
        string unknown = string.Concat(Enumerable.Range(0, 3000).Select(i => $"<watchdog model='m{i}'/><hub type='usb'/>"));
        var def = DomainDefinition.Parse("<domain type='test'>" + Body + "<devices>" + unknown + serials + disks + "</devices></domain>");
        string xml = def.ToXml();
        Assert.Multiple(() =>
        {
            Assert.That(def.Devices.Serials.Select(s => s.TargetPort), Is.EqualTo(Enumerable.Range(0, 3000).Select(i => (int?)i)));
            Assert.That(xml.LastIndexOf("<hub type='usb'/>", StringComparison.Ordinal), Is.LessThan(xml.IndexOf("<watchdog", StringComparison.Ordinal)),
                "kept device kinds follow libvirt's order: every hub before every watchdog");
            Assert.That(xml, Does.Contain("<watchdog model='m0'/>\n    <watchdog model='m1'/>\n"), "input order kept within a kind");
            Assert.That(def.Devices.Disks.Select(d => DeviceInsertion.DiskIndex(d.TargetDev)), Is.Ordered, "same-bus disks sorted by device index");
            Assert.That(DomainDefinition.Parse(xml).ToXml(), Is.EqualTo(xml));
        });
    }

    [Test]
    public void OversizedDocumentIsRefusedBeforeParsing()
    {
        string huge = "<domain type='test'>" + Body + "<description>" + new string('a', SafeXml.MaxCharacters) + "</description></domain>";
        Assert.That(ParseFails(huge).Message, Does.StartWith("XML error: document is 10485"));
    }

    [Test]
    public void BadMacAddress() =>
        Assert.That(ParseFails("<domain type='test'>" + Body + "<devices><interface type='user'><mac address='zz'/></interface></devices></domain>").Message,
            Does.StartWith("XML error: unable to parse mac address 'zz'"));

    [Test]
    public void NullIsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => DomainDefinition.Parse(null!));

    [TestCase("<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices><disk><target dev='vda'/><address type='pci' slot='zz'/></disk></devices></domain>")]
    [TestCase("<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices><graphics type='vnc' port='x'/></devices></domain>")]
    [TestCase("<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices><disk><target dev='vda'/><boot order='-3'/></disk></devices></domain>")]
    [TestCase("<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type><loader readonly='maybe'>/x</loader></os></domain>")]
    [TestCase("<domain type='test'><name>x</name><memory>1</memory><vcpu current='9'>2</vcpu><os><type>hvm</type></os></domain>")]
    [TestCase("<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os><clock offset='mars'/></domain>")]
    [TestCase("<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices><disk type='floppy'><target dev='vda'/></disk></devices></domain>")]
    [TestCase("<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices><memballoon/></devices></domain>")]
    [TestCase("<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices><interface type='network'/></devices></domain>")]
    [TestCase("<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os><features><acpi/><acpi/></features></domain>")]
    public void InvalidValuesAreXmlErrorsWithPosition(string xml)
    {
        var ex = ParseFails(xml);
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.XmlError));
            Assert.That(ex.Message, Does.Match(@"at line 1, position \d+(; .*)?$"));
        });
    }

    [Test]
    public void RandomMutationsNeverCrash()
    {
        string seed = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Conf", "Corpus", "30-full-guest.xml"));
        var random = new Random(1234);
        int parsed = 0, refused = 0;
        var unstable = new List<string>();
        for (int i = 0; i < 2000; i++)
        {
            var chars = seed.ToCharArray();
            for (int k = 0; k < 1 + random.Next(8); k++)
            {
                chars[random.Next(chars.Length)] = "<>/='\"&;x0 -"[random.Next(12)];
            }

            string mutated = new(chars);
            DomainDefinition def;
            try
            {
                def = DomainDefinition.Parse(mutated);
            }
            catch (VirtException)
            {
                refused++;
                continue;
            }

            // What was accepted round-trips: its XML parses again to the same XML.
            parsed++;
            string once = def.ToXml();
            string twice = DomainDefinition.Parse(once).ToXml();
            if (twice != once)
            {
                unstable.Add(mutated);
            }
        }

        TestContext.Out.WriteLine($"{parsed} mutated documents parsed, {refused} refused");
        Assert.Multiple(() =>
        {
            Assert.That(unstable, Is.Empty, "accepted documents whose XML does not round-trip");
            Assert.That(parsed, Is.GreaterThan(100), "mutations that keep the document well-formed and valid are parsed");
            Assert.That(refused, Is.GreaterThan(200), "mutations that break the document are refused");
            Assert.That(parsed + refused, Is.EqualTo(2000));
        });
    }
}
