namespace Virt.Core.Tests;

public sealed class VirtExceptionTests
{
    [TestCase(VirtErrorCode.NoDomain, "no domain with matching name 'x'", "Domain not found: no domain with matching name 'x'")]
    [TestCase(VirtErrorCode.OperationInvalid, "domain is not running", "Requested operation is not valid: domain is not running")]
    [TestCase(VirtErrorCode.XmlError, "missing name", "XML error: missing name")]
    [TestCase(VirtErrorCode.SystemError, "Cannot open '/x': No such file", "Cannot open '/x': No such file")]
    public void MessageIsLibvirtPrefixThenDetail(VirtErrorCode code, string detail, string expected)
    {
        var ex = new VirtException(code, detail);
        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Is.EqualTo(expected));
            Assert.That(ex.Detail, Is.EqualTo(detail));
            Assert.That(ex.Code, Is.EqualTo(code));
        });
    }

    [Test]
    public void CodesKeepLibvirtNumbers()
    {
        Assert.Multiple(() =>
        {
            Assert.That((int)VirtErrorCode.NoDomain, Is.EqualTo(42));
            Assert.That((int)VirtErrorCode.OperationInvalid, Is.EqualTo(55));
            Assert.That((int)VirtErrorCode.NoDomainSnapshot, Is.EqualTo(72));
            Assert.That((int)VirtErrorCode.OperationUnsupported, Is.EqualTo(84));
        });
    }

    [Test]
    public void WithoutPrefixKeepsTheMessageAsGiven()
    {
        var ex = VirtException.WithoutPrefix(VirtErrorCode.InvalidArg, "unsupported flags (0x2) in function testDomainSnapshotDelete");
        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Is.EqualTo("unsupported flags (0x2) in function testDomainSnapshotDelete"));
            Assert.That(ex.Detail, Is.EqualTo(ex.Message));
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
        });
    }

    [Test]
    public void InnerExceptionIsKept()
    {
        var inner = new IOException("disk full");
        var ex = new VirtException(VirtErrorCode.WriteFailed, "/tmp/x", inner);
        Assert.That(ex.InnerException, Is.SameAs(inner));
    }
}
