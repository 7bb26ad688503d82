using Virt.Conf;

namespace Virt.Core.Tests.Conf;

/// <summary>A network disk's HTTP cookies: kept in the definition, printed only with the security-info flag, where virsh
/// 9.0 prints them (<c>dumpxml</c> and <c>dumpxml --security-info</c> of device corpus document 026 on test:///default).</summary>
public class DiskCookiesTests
{
    private const string Disk = """
        <disk type='network' device='disk'>
          <driver name='qemu' type='raw'/>
          <source protocol='https' name='test.img' query='a=b'>
            <host name='example.org' port='443'/>
            <cookies>
              <cookie name='test'>testcookievalue</cookie>
            </cookies>
            <readahead size='65536'/>
            <timeout seconds='10'/>
          </source>
          <target dev='vda' bus='virtio'/>
        </disk>
        """;

    private static DomainDefinition Domain() => DomainDefinition.Parse(
        $"<domain type='test'><name>d</name><memory>1024</memory><os><type>hvm</type></os><devices>{Disk}</devices></domain>");

    [Test]
    public void CookiesAreHiddenWithoutTheSecureFlag()
    {
        string xml = Domain().ToXml(DomainXmlFlags.Inactive);

        Assert.Multiple(() =>
        {
            Assert.That(xml, Does.Not.Contain("cookie"));
            Assert.That(xml, Does.Contain("<host name='example.org' port='443'/>\n        <readahead size='65536'/>"));
        });
    }

    [Test]
    public void CookiesArePrintedWithTheSecureFlagAndKeptForTheDriver()
    {
        const string Cookies = "<host name='example.org' port='443'/>\n        <cookies>\n          <cookie name='test'>testcookievalue</cookie>\n        </cookies>\n        <readahead";

        Assert.Multiple(() =>
        {
            Assert.That(Domain().ToXml(DomainXmlFlags.Secure), Does.Contain(Cookies));
            Assert.That(Domain().ToXml(), Does.Contain(Cookies), "what the driver stores keeps them");
        });
    }
}
