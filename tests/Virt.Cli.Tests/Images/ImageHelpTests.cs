namespace Virt.Cli.Tests.Images;

/// <summary>The image commands appear in <c>help</c> like every other group.</summary>
[TestFixture]
public sealed class ImageHelpTests
{
    [Test]
    public void HelpListsTheImageGroupAndItsOptions()
    {
        var result = CliRunner.RunShell(new FakeHandles().Connection.Object, ["help image; help image-create"]);
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Does.StartWith(
                " Image (help keyword 'image'):\n" +
                "    image-create                   create a qcow2 image\n" +
                "    image-info                     image information\n" +
                "    image-snapshots                list internal snapshots of an image\n"));
            Assert.That(result.Stdout, Does.Contain(
                "    image-create <file> [<size>] [--backing <string>] [--backing-format <string>] [--cluster-size <string>] [--compat <string>]\n"));
            Assert.That(result.ExitCode, Is.EqualTo(0));
        });
    }
}
