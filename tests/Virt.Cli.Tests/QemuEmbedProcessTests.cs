namespace Virt.Cli.Tests;

/// <summary>
/// The base of the tests that run <c>virt</c> as a process of its own per command against a qemu:///embed root in a
/// temporary folder: the root is made before each test, and after it the domain the test runs is destroyed and the
/// root removed.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public abstract class QemuEmbedProcessTests
{
    private readonly string _prefix;
    private readonly string _domain;

    /// <summary>Roots named <paramref name="prefix"/>…; <paramref name="domain"/> is destroyed after each test.</summary>
    protected QemuEmbedProcessTests(string prefix, string domain)
    {
        _prefix = prefix;
        _domain = domain;
    }

    /// <summary>The test's root folder.</summary>
    protected string Root { get; private set; } = "";

    /// <summary>The <c>virt</c> arguments before a command: the program and the connection URI.</summary>
    protected string[] VirtPrefix => [Path.Combine(AppContext.BaseDirectory, "virt.dll"), "-c", "qemu:///embed?root=" + Root];

    /// <summary>Makes the root.</summary>
    [SetUp]
    public void MakeRoot() => Root = Directory.CreateTempSubdirectory(_prefix).FullName;

    /// <summary>Destroys the domain and removes the root.</summary>
    [TearDown]
    public void RemoveRoot()
    {
        Virt("destroy", _domain);
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>Runs one <c>virt</c> process with <paramref name="args"/>.</summary>
    protected (int ExitCode, string Stdout, string Stderr) Virt(params string[] args) => CliRunner.RunProcess("dotnet", [.. VirtPrefix, .. args]);

    /// <summary>
    /// Creates a 16 MiB qcow2 image per name in <paramref name="disks"/> (vda.qcow2, …), defines <paramref name="name"/>
    /// (16 MiB of RAM, q35, the images on virtio) and starts it; gives the image paths.
    /// </summary>
    protected string[] DefineAndStart(string name, params string[] disks)
    {
        string[] images = [.. disks.Select(d => Path.Combine(Root, d + ".qcow2"))];
        foreach (string image in images)
        {
            Assert.That(CliRunner.RunProcess("qemu-img", ["create", "-q", "-f", "qcow2", image, "16M"]).ExitCode, Is.Zero);
        }

        string devices = string.Concat(disks.Zip(images, (dev, image) =>
            $"\n    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{image}'/><target dev='{dev}' bus='virtio'/></disk>"));
        string xml = Path.Combine(Root, name + ".xml");
        File.WriteAllText(xml, $"""
            <domain type='qemu'>
              <name>{name}</name>
              <memory unit='MiB'>16</memory>
              <os><type arch='x86_64' machine='q35'>hvm</type></os>
              <devices>{devices}
              </devices>
            </domain>
            """);
        Assert.That(Virt("define", xml).ExitCode, Is.Zero);
        Assert.That(Virt("start", name).ExitCode, Is.Zero);
        return images;
    }
}
