namespace Virt.Core.Tests;

public sealed class VirtUriTests
{
    [Test]
    public void EmbedUriCarriesRootParameter()
    {
        var uri = VirtUri.Parse("qemu:///embed?root=/srv/my%20vms");
        Assert.Multiple(() =>
        {
            Assert.That(uri.Scheme, Is.EqualTo("qemu"));
            Assert.That(uri.Host, Is.Empty);
            Assert.That(uri.Path, Is.EqualTo("/embed"));
            Assert.That(uri.Parameters["root"], Is.EqualTo("/srv/my vms"));
        });
    }

    [Test]
    public void TransportIsSplitFromScheme()
    {
        var uri = VirtUri.Parse("QEMU+ssh://host.example/system");
        Assert.Multiple(() =>
        {
            Assert.That(uri.Scheme, Is.EqualTo("qemu"));
            Assert.That(uri.Transport, Is.EqualTo("ssh"));
            Assert.That(uri.Host, Is.EqualTo("host.example"));
            Assert.That(uri.Path, Is.EqualTo("/system"));
        });
    }

    [TestCase("not a uri")]
    [TestCase("://x")]
    [TestCase("qe mu:///session")]
    [TestCase("qemu:///embed?root=a&root=b")]
    public void MalformedUriIsInvalidArg(string text)
    {
        var ex = Assert.Throws<VirtException>(() => VirtUri.Parse(text));
        Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
        Assert.That(ex.Message, Does.StartWith("invalid argument: cannot parse URI '" + text + "'"));
    }

    [TestCase("test:///default?x=%zz")]
    [TestCase("test:///default?x=%4g")]
    [TestCase("test:///default?x=%4")]
    [TestCase("test:///default?x=%")]
    [TestCase("test:///default?%zz")]
    [TestCase("test:///default%zz")]
    [TestCase("test://%zz/default")]
    public void BadPercentEscapeIsRefusedAsVirshDoes(string text)
    {
        // virsh -c 'test:///default?x=%zz' list: "error: internal error: Unable to parse URI test:///default?x=%zz".
        var ex = Assert.Throws<VirtException>(() => VirtUri.Parse(text));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.InternalError));
            Assert.That(ex.Message, Is.EqualTo("internal error: Unable to parse URI " + text));
        });
    }

    [TestCase("test:///default?x=%00", "\0")]
    [TestCase("test:///default?x=%41%2f", "A/")]
    public void ValidPercentEscapesAreDecoded(string text, string expected) =>
        Assert.That(VirtUri.Parse(text).Parameters["x"], Is.EqualTo(expected));
}
