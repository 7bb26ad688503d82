using System.Text.RegularExpressions;
using Virt.Drivers;
using Virt.Testing;

namespace Virt.Cli.Tests;

/// <summary>
/// The <c>virt snapshot-*</c> commands on qemu:///embed, each a process of its own against a running QEMU, print what
/// the same commands print on test:///default for the same tree (a running domain <c>test</c> with one disk
/// <c>vda</c>): the same lines, columns and errors, once creation times and the domain definition inside
/// <c>snapshot-dumpxml</c> (QEMU's, not the test driver's) are set aside.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[NonParallelizable]
public partial class QemuSnapshotCommandProcessTests() : QemuEmbedProcessTests("virt-cli-qemu-snap-", "test")
{
    private static readonly string[][] Script =
    [
        ["snapshot-current", "test"],
        ["snapshot-create-as", "test", "s1", "--description", "first one"],
        ["snapshot-create-as", "test", "s2"],
        ["snapshot-create-as", "test", "s2"],
        ["snapshot-list", "test"],
        ["snapshot-list", "test", "--tree"],
        ["snapshot-list", "test", "--parent"],
        ["snapshot-list", "test", "--name", "--leaves"],
        ["snapshot-list", "test", "--roots"],
        ["snapshot-current", "test", "--name"],
        ["snapshot-info", "test", "s1"],
        ["snapshot-info", "test", "--current"],
        ["snapshot-parent", "test", "s2"],
        ["snapshot-parent", "test", "s1"],
        ["snapshot-dumpxml", "test", "s1"],
        ["snapshot-dumpxml", "test", "nope"],
        ["snapshot-revert", "test", "s1"],
        ["snapshot-current", "test", "--name"],
        ["snapshot-info", "test", "s2"],
        ["snapshot-create-as", "test", "s3"],
        ["snapshot-list", "test", "--tree"],
        ["snapshot-delete", "test", "s2"],
        ["snapshot-delete", "test", "s1", "--children-only"],
        ["snapshot-list", "test", "--name"],
        ["snapshot-delete", "test", "--current"],
        ["snapshot-list", "test"],
        ["snapshot-revert", "test", "s1"],
    ];

    [Test]
    public void EverySnapshotCommandPrintsWhatTheTestDriverPrints()
    {
        string disk = DefineAndStart("test", "vda")[0];
        var registry = new VirtDriverRegistry();
        TestDriver.Register(registry);
        var options = new VirtConnectionOptions { Registry = registry };
        // The test host lives while a connection is open; each command below opens (and closes) one of its own.
        using var keepTestHost = VirtConnection.Open(TestDriver.DefaultUri, options);

        var outputs = new Dictionary<string, string>();
        Assert.Multiple(() =>
        {
            foreach (string[] command in Script)
            {
                var reference = CliRunner.RunShell(VirtConnection.Open(TestDriver.DefaultUri, options), command);
                var embed = Virt(command);
                string what = string.Join(' ', command);
                outputs[what] = embed.Stdout;
                Assert.That(embed.ExitCode, Is.EqualTo(reference.ExitCode), what + ": exit code");
                Assert.That(Normalize(embed.Stdout), Is.EqualTo(Normalize(reference.Stdout)), what + ": stdout");
                Assert.That(Normalize(embed.Stderr), Is.EqualTo(Normalize(reference.Stderr)), what + ": stderr");
            }
        });
        Assert.That(outputs["snapshot-dumpxml test s1"], Does.Contain("\n  <domain type='qemu'>\n    <name>test</name>\n"), "the snapshot records QEMU's definition");
        Assert.That(CliRunner.RunProcess("qemu-img", ["snapshot", "-U", "-l", disk]).Stdout, Is.Empty, "every snapshot was deleted from the image too");
    }

    /// <summary>Sets aside what legitimately differs: creation times and the recorded domain definition.</summary>
    private static string Normalize(string text)
    {
        text = ListTime().Replace(text, "YYYY-MM-DD hh:mm:ss +zzzz");
        text = CreationTime().Replace(text, "<creationTime>T</creationTime>");
        return DomainElement().Replace(text, "  <domain/>\n");
    }

    [GeneratedRegex(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}")]
    private static partial Regex ListTime();

    [GeneratedRegex(@"<creationTime>\d+</creationTime>")]
    private static partial Regex CreationTime();

    [GeneratedRegex(@"(?s)  <domain type='[a-z]+'>\n.*?\n  </domain>\n")]
    private static partial Regex DomainElement();
}
