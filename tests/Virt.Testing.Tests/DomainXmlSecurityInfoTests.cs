namespace Virt.Testing.Tests;

/// <summary>dumpxml with and without --security-info on test:///default: the display password shows only with
/// <see cref="DomainXmlFlags.Secure"/>, for the inactive and the live definition (as virsh 9.0 prints them).</summary>
public sealed class DomainXmlSecurityInfoTests : TestConnectionFixture
{
    private const string Xml = "<domain type='test'><name>pw</name><memory>1024</memory><os><type>hvm</type></os><devices>"
        + "<graphics type='vnc' port='-1' autoport='yes' keymap='en-us' passwd='secret' sharePolicy='allow-exclusive'/></devices></domain>";

    private const string Hidden = "<graphics type='vnc' port='-1' autoport='yes' keymap='en-us' sharePolicy='allow-exclusive'>";
    private const string Shown = "<graphics type='vnc' port='-1' autoport='yes' keymap='en-us' sharePolicy='allow-exclusive' passwd='secret'>";

    [Test]
    public void InactiveDefinitionShowsThePasswordOnlyWithSecurityInfo()
    {
        var domain = Connection.DefineDomain(Xml);

        Assert.Multiple(() =>
        {
            Assert.That(domain.GetXmlDescription(), Does.Contain(Hidden));
            Assert.That(domain.GetXmlDescription(DomainXmlFlags.Secure), Does.Contain(Shown));
        });
    }

    [Test]
    public void LiveDefinitionShowsThePasswordOnlyWithSecurityInfo()
    {
        var domain = Connection.DefineDomain(Xml);
        domain.Start();

        Assert.Multiple(() =>
        {
            Assert.That(domain.GetXmlDescription(), Does.Contain(Hidden));
            Assert.That(domain.GetXmlDescription(DomainXmlFlags.Secure), Does.Contain(Shown));
            Assert.That(domain.GetXmlDescription(DomainXmlFlags.Inactive), Does.Contain(Hidden));
            Assert.That(domain.GetXmlDescription(DomainXmlFlags.Inactive | DomainXmlFlags.Secure), Does.Contain(Shown));
        });
    }
}
