using Virt.Conf;

namespace Virt.Core.Tests.Conf;

/// <summary>A display's <c>passwd=</c>: kept in the definition, printed only with the security-info flag (as virsh 9.0
/// <c>dumpxml</c> and <c>dumpxml --security-info</c> print it on test:///default).</summary>
public class GraphicsPasswordTests
{
    private const string Vnc = "<graphics type='vnc' port='-1' autoport='yes' keymap='en-us' passwd='secret' sharePolicy='allow-exclusive'/>";
    private const string Spice = "<graphics type='spice' autoport='yes' passwd='s3' passwdValidTo='2030-01-01T00:00:00' keymap='de'/>";

    private static DomainDefinition Domain(string graphics) => DomainDefinition.Parse(
        $"<domain type='test'><name>d</name><memory>1024</memory><os><type>hvm</type></os><devices>{graphics}</devices></domain>");

    [Test]
    public void PasswordIsHiddenWithoutTheSecureFlag()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Domain(Vnc).ToXml(DomainXmlFlags.None), Does.Contain("<graphics type='vnc' port='-1' autoport='yes' keymap='en-us' sharePolicy='allow-exclusive'>"));
            Assert.That(Domain(Spice).ToXml(7, DomainXmlFlags.Inactive), Does.Contain("<graphics type='spice' autoport='yes' keymap='de' passwdValidTo='2030-01-01T00:00:00'>"));
            Assert.That(Domain(Spice).ToXml(DomainXmlFlags.None), Does.Not.Contain("s3"));
        });
    }

    [Test]
    public void PasswordIsPrintedWithTheSecureFlagWhereLibvirtPutsIt()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Domain(Vnc).ToXml(DomainXmlFlags.Secure), Does.Contain("<graphics type='vnc' port='-1' autoport='yes' keymap='en-us' sharePolicy='allow-exclusive' passwd='secret'>"));
            Assert.That(Domain(Spice).ToXml(3, DomainXmlFlags.Secure), Does.Contain("<graphics type='spice' autoport='yes' keymap='de' passwd='s3' passwdValidTo='2030-01-01T00:00:00'>"));
        });
    }

    [Test]
    public void TheDefinitionKeepsThePasswordForTheDriver()
    {
        var def = Domain(Vnc);

        Assert.Multiple(() =>
        {
            Assert.That(def.Devices.Graphics[0].Password, Is.EqualTo("secret"));
            Assert.That(def.ToXml(), Does.Contain("passwd='secret'"));
            Assert.That(DomainDefinition.Parse(def.ToXml()).Devices.Graphics[0].Password, Is.EqualTo("secret"));
        });
    }
}
