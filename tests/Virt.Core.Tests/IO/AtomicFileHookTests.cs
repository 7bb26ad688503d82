using Virt.IO;
using Virt.TestSupport;

namespace Virt.Core.Tests.IO;

/// <summary>The crash tests' hook: called before each step with its name, and the real call still made after it;
/// and the names a write leaves behind when interrupted.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AtomicFileHookTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("virt-hook-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void TheHookNamesEachStepBeforeTheRealCallIsMade()
    {
        string path = Path.Combine(_dir, "f");
        var steps = new List<string>();
        var file = new AtomicFile(durable: true, steps.Add);

        string[] calls;
        using (var trace = SyscallTrace.OfThisThread())
        {
            file.Write(path, "one");
            file.TryCreate(Path.Combine(_dir, "g"), AtomicFile.PrivateFile, s => s.Write("two"u8), out _);
            file.Delete(path);
            calls = SyscallTrace.Durability(trace.Stop(_dir), _dir);
        }

        Assert.Multiple(() =>
        {
            Assert.That(steps, Is.EqualTo(new[] { "write", "fsync", "rename", "fsync-dir", "write", "fsync", "link", "unlink", "fsync-dir", "unlink", "fsync-dir" }));
            Assert.That(calls, Is.EqualTo(new[]
            {
                "create .f.TEMP.tmp", "fsync .f.TEMP.tmp", "rename .f.TEMP.tmp f", "fsync DIR",
                "create .g.TEMP.tmp", "fsync .g.TEMP.tmp", "link .g.TEMP.tmp g", "unlink .g.TEMP.tmp", "fsync DIR",
                "unlink f", "fsync DIR",
            }));
            Assert.That(File.ReadAllText(Path.Combine(_dir, "g")), Is.EqualTo("two"));
            Assert.That(File.Exists(path), Is.False);
        });
    }

    [Test]
    public void TemporaryNamesAreHiddenUniqueAndRecognised()
    {
        string a = AtomicFile.TempNameFor(Path.Combine(_dir, "x.xml"));
        string b = AtomicFile.TempNameFor(Path.Combine(_dir, "x.xml"));
        Assert.Multiple(() =>
        {
            Assert.That(Path.GetDirectoryName(a), Is.EqualTo(_dir));
            Assert.That(Path.GetFileName(a), Does.Match(@"^\.x\.xml\.[0-9A-F]{12}\.tmp$"));
            Assert.That(a, Is.Not.EqualTo(b));
            Assert.That(AtomicFile.IsTempName(Path.GetFileName(a)), Is.True);
            Assert.That(AtomicFile.IsTempName("x.xml.tmp"), Is.False, "not hidden");
            Assert.That(AtomicFile.IsTempName(".x.xml"), Is.False, "not a temporary suffix");
            Assert.That(AtomicFile.IsTempName("x.xml"), Is.False);
        });
    }

    [Test]
    public void ATemporaryNameThatCannotBeRemovedAfterTheLinkDoesNotFailTheCreation()
    {
        string path = Path.Combine(_dir, "f");
        var file = new AtomicFile(durable: true, step =>
        {
            if (step == "unlink")
            {
                throw new IOException("Permission denied");
            }
        });

        bool created = file.TryCreate(path, AtomicFile.PrivateFile, s => s.Write("new"u8), out var notDurable);

        Assert.Multiple(() =>
        {
            Assert.That(created, Is.True);
            Assert.That(notDurable, Is.Null);
            Assert.That(File.ReadAllText(path), Is.EqualTo("new"));
        });
    }
}
