using Virt.Conf;
using Virt.Drivers;
using Virt.Qemu.Driver.State;

namespace Virt.Qemu.Tests.Driver;

/// <summary>
/// Listing reads only a stored definition's name and UUID: it finds the same identity as the full parse, and refuses
/// the files the full parse refuses for being no domain definition at all, so such a file is left out of a list as
/// before, and is reported where it is looked up.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class DomainHeaderReaderTests : QemuRootTest
{
    private const string Uuid = "4b3c0a8e-6f0e-4d41-9a55-0f8f7a1d4c43";
    private const string Body = "<memory unit='MiB'>16</memory><os><type arch='x86_64'>hvm</type></os>";

    [TestCase("<domain type='qemu'><name>vm</name><uuid>" + Uuid + "</uuid>" + Body + "</domain>")]
    [TestCase("<domain type='qemu'>\n  <uuid> 4b3c0a8e6f0e4d419a550f8f7a1d4c43 </uuid>\n  <name>a &amp; b</name>\n  " + Body + "\n</domain>")]
    [TestCase("<domain type='qemu'><name>vm</name>" + Body + "<metadata><x:disk xmlns:x='urn:x'><x:name>inner</x:name><name>in</name><uuid>9d2e5f10-0b7c-4e8a-8c3b-7e6a5d4c3b2a</uuid></x:disk></metadata></domain>")]
    [TestCase("<domain type='qemu'><name>vm</name>" + Body + "</domain>")]
    public void TheHeaderIsTheFullParsesNameAndUuid(string xml)
    {
        var def = DomainDefinition.Parse(xml);

        Assert.That(DomainHeaderReader.Read(xml), Is.EqualTo(new DomainHeader(def.Name, def.Uuid)));
    }

    [TestCase("<domain type='qemu'><name>vm</name><uuid>" + Uuid + "</uuid>", TestName = "TruncatedDocument")]
    [TestCase("<network><name>vm</name></network>", TestName = "AnotherRoot")]
    [TestCase("<domain xmlns='urn:x' type='qemu'><name>vm</name></domain>", TestName = "RootInANamespace")]
    [TestCase("<domain><name>vm</name></domain>", TestName = "NoType")]
    [TestCase("<domain type='qemu'><uuid>" + Uuid + "</uuid></domain>", TestName = "NoName")]
    [TestCase("<domain type='qemu'><name></name></domain>", TestName = "EmptyName")]
    [TestCase("<domain type='qemu'><name>a/b</name></domain>", TestName = "NameWithASlash")]
    [TestCase("<domain type='qemu'><name>vm</name><uuid>not-a-uuid</uuid></domain>", TestName = "MalformedUuid")]
    [TestCase("<!DOCTYPE domain [<!ENTITY x 'y'>]><domain type='qemu'><name>&x;</name></domain>", TestName = "Dtd")]
    public void WhatTheFullParseRefusesAsNoDefinitionTheHeaderRefusesToo(string xml)
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => DomainDefinition.Parse(xml), Throws.TypeOf<VirtException>().With.Property("Code").EqualTo(VirtErrorCode.XmlError));
            Assert.That(() => DomainHeaderReader.Read(xml), Throws.TypeOf<VirtException>().With.Property("Code").EqualTo(VirtErrorCode.XmlError));
        });
    }

    [Test]
    public void ATruncatedDefinitionIsLeftOutOfTheListAndReportedWhereLookedUp()
    {
        Conn.DefineDomain("<domain type='qemu'><name>good</name><memory unit='MiB'>16</memory><os><type arch='x86_64'>hvm</type></os></domain>");
        Conn.DefineDomain("<domain type='qemu'><name>cut</name><memory unit='MiB'>16</memory><os><type arch='x86_64'>hvm</type></os></domain>");
        string file = Path.Combine(Root, "domains", "cut", "domain.xml");
        string xml = File.ReadAllText(file);
        File.WriteAllText(file, xml[..(xml.Length / 2)]);

        using var other = Open();
        Assert.Multiple(() =>
        {
            Assert.That(other.ListAllDomains().Select(d => d.Name), Is.EqualTo(new[] { "good" }));
            Assert.That(() => other.LookupDomainByName("cut"), Throws.TypeOf<VirtException>().With.Property("Code").EqualTo(VirtErrorCode.XmlError));
        });
    }
}
