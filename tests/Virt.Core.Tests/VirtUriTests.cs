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
}
