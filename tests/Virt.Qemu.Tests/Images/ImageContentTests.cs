using Virt.Conf;
using Virt.Qemu.Driver.Nvram;
using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ExternalTools;

namespace Virt.Qemu.Tests.Images;

/// <summary>qcow2 images written natively with content (what a UEFI domain's qcow2 NVRAM is made with): QEMU reads the
/// same bytes as the raw source (<c>qemu-img compare</c>), <c>qemu-img check</c> finds nothing, all-zero clusters stay
/// unallocated, for every cluster size, refcount width and L2 layout the writer offers.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ImageContentTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("virt-content-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    [TestCase(65536, 16, false, "1.1")]
    [TestCase(512, 16, false, "1.1")]
    [TestCase(2 * 1024 * 1024, 16, false, "1.1")]
    [TestCase(4096, 1, false, "1.1")]
    [TestCase(4096, 64, false, "1.1")]
    [TestCase(65536, 16, true, "1.1")]
    [TestCase(16384, 16, true, "1.1")]
    [TestCase(65536, 16, false, "0.10")]
    public void QemuReadsTheContentBackAndFindsTheImageClean(int clusterSize, int refcountBits, bool extendedL2, string compat)
    {
        // Data, a hole of whole zero clusters, data again, then a tail that ends inside a cluster; with 512-byte
        // clusters the content needs several L2 tables and refcount blocks.
        byte[] content = new byte[(6 * 1024 * 1024) + 1000];
        var random = new Random(clusterSize + refcountBits);
        random.NextBytes(content.AsSpan(0, 300_000));
        random.NextBytes(content.AsSpan(4 * 1024 * 1024, 500_000));
        content[^1] = 0x5a;
        string raw = Path.Combine(_dir, "content.raw");
        File.WriteAllBytes(raw, content);
        string image = Path.Combine(_dir, "content.qcow2");
        var options = new ImageCreateOptions { ClusterSize = clusterSize, RefcountBits = refcountBits, ExtendedL2 = extendedL2, Compat = compat };

        var info = QemuImage.CreateWithContent(image, content, options);

        Assert.Multiple(() =>
        {
            Assert.That(info.VirtualSize, Is.EqualTo((content.Length + 511) / 512 * 512));
            Assert.That(TryRun(null, null, "qemu-img", "check", image).Code, Is.EqualTo(0));
            Assert.That(TryRun(null, null, "qemu-img", "compare", "-f", "raw", "-F", "qcow2", raw, image).Code, Is.EqualTo(0), "the same bytes");
            Assert.That(QemuImg("map", "--output=json", "-f", "qcow2", image), Does.Contain("\"data\": false"), "the hole is not allocated");
        });
    }

    [Test]
    public void EmptyContentGivesAnImageOfNoBytes()
    {
        string image = Path.Combine(_dir, "empty.qcow2");

        var info = QemuImage.CreateWithContent(image, []);

        Assert.That(info.VirtualSize, Is.Zero);
        Assert.That(TryRun(null, null, "qemu-img", "check", image).Code, Is.EqualTo(0));
    }

    [TestCase("qcow2")]
    [TestCase("raw")]
    public void AUefiDomainsNvramHoldsOvmfsTemplateInTheFormatAsked(string format)
    {
        string template = "/usr/share/OVMF/OVMF_VARS_4M.fd";
        if (!File.Exists(template))
        {
            Assert.Ignore("Debian's ovmf package is not installed");
        }

        string nvram = Path.Combine(_dir, "vars." + format);
        var def = DomainDefinition.Parse($"""
            <domain type='qemu'><name>u</name><memory unit='MiB'>64</memory>
              <os><type arch='x86_64' machine='q35'>hvm</type>
                <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>
                <nvram template='{template}' format='{format}'>{nvram}</nvram>
              </os>
            </domain>
            """);

        NvramStore.EnsureCreated(def);

        Assert.Multiple(() =>
        {
            Assert.That(TryRun(null, null, "qemu-img", "compare", "-f", "raw", "-F", format, template, nvram).Code, Is.EqualTo(0));
            Assert.That(QemuImage.GetInfo(nvram).Format, Is.EqualTo(format));
            Assert.That(File.GetUnixFileMode(nvram), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(Directory.GetFiles(_dir), Has.Length.EqualTo(1), "no temporary file left");
        });
    }
}
