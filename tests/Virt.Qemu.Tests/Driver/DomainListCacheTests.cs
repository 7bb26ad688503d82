using System.Diagnostics;
using System.Security;
using Virt.Drivers;
using Virt.IO;
using Virt.Qemu.Driver;
using Virt.Qemu.Driver.State;

namespace Virt.Qemu.Tests.Driver;

/// <summary>
/// Listing keeps, per process, each domain's name, UUID and status by file stamp. What another process or a rewrite
/// within one tick of the file system's clock changed is listed as it is now, and a start's runtime details never reach
/// the inactive definition.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[NonParallelizable]
public class DomainListCacheTests : QemuRootTest
{
    private const string FirstUuid = "4b3c0a8e-6f0e-4d41-9a55-0f8f7a1d4c43";
    private const string SecondUuid = "9d2e5f10-0b7c-4e8a-8c3b-7e6a5d4c3b2a";

    [Test]
    public void ADefinitionRewrittenInPlaceWithTheSameSizeAndTimesIsListedAsItIsNow()
    {
        Conn.DefineDomain(Definition("vm", FirstUuid));
        string file = Path.Combine(Root, "domains", "vm", "domain.xml");
        WaitUntilSettled(file);
        Assert.That(Listed(), Is.EqualTo(new[] { ("vm", Guid.Parse(FirstUuid)) }));
        string reference = Path.Combine(Root, "reference");
        Run("cp", "-p", file, reference);
        var before = FileStamp.Of(file)!.Value;

        // Another writer: the same bytes but the UUID, written in place, and the modification time put back.
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write))
        {
            byte[] content = System.Text.Encoding.UTF8.GetBytes(File.ReadAllText(reference).Replace(FirstUuid, SecondUuid, StringComparison.Ordinal));
            stream.SetLength(0);
            stream.Write(content);
        }

        Run("touch", "-m", "-r", reference, file);
        var after = FileStamp.Of(file)!.Value;
        Assert.That(after with { ChangedSeconds = 0, ChangedNanoseconds = 0 }, Is.EqualTo(before with { ChangedSeconds = 0, ChangedNanoseconds = 0 }),
            "same inode, size and modification time: only the change time tells the versions apart");

        Assert.That(Listed(), Is.EqualTo(new[] { ("vm", Guid.Parse(SecondUuid)) }));
    }

    [Test]
    public void ADomainRedefinedByAnotherProcessIsListedAsItIsNow()
    {
        Conn.DefineDomain(Definition("vm", FirstUuid));
        WaitUntilSettled(Path.Combine(Root, "domains", "vm", "domain.xml"));
        Assert.That(Listed(), Is.EqualTo(new[] { ("vm", Guid.Parse(FirstUuid)) }));

        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { typeof(DomainListCacheTests).Assembly.Location, "redefine", Root, "vm", SecondUuid })
        {
            start.ArgumentList.Add(arg);
        }

        using (var child = Process.Start(start)!)
        {
            var stderr = child.StandardError.ReadToEndAsync();
            string stdout = child.StandardOutput.ReadToEnd();
            Assert.That(child.WaitForExit(TimeSpan.FromMinutes(2)), Is.True, "the child process finished");
            Assert.That(child.ExitCode, Is.Zero, stdout + stderr.Result);
        }

        Assert.That(Listed(), Is.EqualTo(new[] { ("vm", Guid.Parse(SecondUuid)) }));
    }

    [Test]
    public void AStartLeavesTheListedAndTheInactiveDefinitionAsDefined()
    {
        var vm = Conn.DefineDomain(Definition("vm", FirstUuid));
        string file = Path.Combine(Root, "domains", "vm", "domain.xml");
        WaitUntilSettled(file);
        string inactive = vm.GetXmlDescription(DomainXmlFlags.Inactive);
        string stored = File.ReadAllText(file);
        Assert.That(Listed(), Is.EqualTo(new[] { ("vm", Guid.Parse(FirstUuid)) }));

        vm.Start();
        Assert.That(Conn.ListAllDomains(ListDomainsFlags.Active).Select(d => d.Name), Is.EqualTo(new[] { "vm" }));
        Assert.That(vm.GetXmlDescription(DomainXmlFlags.None), Does.Contain("<alias name='virtio-disk0'/>").Or.Contain("id='"), "the live XML has runtime details");
        Assert.That(vm.GetXmlDescription(DomainXmlFlags.Inactive), Is.EqualTo(inactive));
        vm.Destroy();

        Assert.Multiple(() =>
        {
            Assert.That(Conn.ListAllDomains(ListDomainsFlags.Inactive).Select(d => (d.Name, d.Uuid)), Is.EqualTo(new[] { ("vm", Guid.Parse(FirstUuid)) }));
            Assert.That(vm.GetXmlDescription(DomainXmlFlags.Inactive), Is.EqualTo(inactive));
            Assert.That(File.ReadAllText(file), Is.EqualTo(stored), "the stored definition is untouched");
        });
    }

    /// <summary>The child's side: <c>redefine ROOT NAME UUID</c> undefines the domain and defines it again with that UUID.</summary>
    public static int RunAsChild(string[] args)
    {
        var registry = new VirtDriverRegistry();
        QemuDriver.Register(registry);
        using var conn = VirtConnection.Open("qemu:///embed?root=" + args[1], new VirtConnectionOptions { Registry = registry });
        conn.LookupDomainByName(args[2]).Undefine();
        conn.DefineDomain(Definition(args[2], args[3]));
        return 0;
    }

    private (string Name, Guid Uuid)[] Listed()
    {
        using var other = Open();
        return [.. other.ListAllDomains().Select(d => (d.Name, d.Uuid))];
    }

    private static string Definition(string name, string uuid) => $"""
        <domain type='qemu'>
          <name>{SecurityElement.Escape(name)}</name>
          <uuid>{uuid}</uuid>
          <memory unit='MiB'>16</memory>
          <os><type arch='x86_64'>hvm</type></os>
          <devices></devices>
        </domain>
        """;

    /// <summary>Waits until the file's last change is old enough for listing to keep what it read.</summary>
    private static void WaitUntilSettled(string file)
    {
        while (!FileStamp.Of(file)!.Value.IsSettled(DateTimeOffset.UtcNow))
        {
            Thread.Sleep(100);
        }
    }

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(program, args);
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, program);
    }
}
