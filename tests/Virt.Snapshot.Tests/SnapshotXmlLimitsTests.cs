namespace Virt.Snapshot.Tests;

/// <summary>Snapshot XML is read with Core's SafeXml: the same clear DTD message as domain XML (no advice to
/// enable DTD processing) and the same limits, element count included.</summary>
public class SnapshotXmlLimitsTests
{
    [TestCase("<!DOCTYPE domainsnapshot [<!ENTITY x 'y'>]><domainsnapshot><name>&x;</name></domainsnapshot>")]
    [TestCase("<!DOCTYPE domainsnapshot SYSTEM 'http://127.0.0.1:9/x.dtd'><domainsnapshot><name>a</name></domainsnapshot>")]
    public void ADtdIsRefusedWithAClearMessage(string xml)
    {
        var ex = Assert.Throws<VirtException>(() => SnapshotDefinition.Parse(xml));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.XmlError));
            Assert.That(ex.Message, Is.EqualTo("XML error: domain snapshot XML must not contain a DTD or entity declarations; remove the <!DOCTYPE> declaration"));
        });
    }

    [Test]
    public void MoreElementsThanADocumentEmbeddingADomainMayHoldAreRefused()
    {
        string many = string.Concat(Enumerable.Repeat("<disk name='vda'/>", 100_001));
        var ex = Assert.Throws<VirtException>(() => SnapshotDefinition.Parse("<domainsnapshot><disks>" + many + "</disks></domainsnapshot>"));

        Assert.That(ex!.Message, Is.EqualTo("XML error: domain snapshot XML has more than 100000 elements"));
    }
}
