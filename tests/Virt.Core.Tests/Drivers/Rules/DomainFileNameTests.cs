using System.Text;
using Virt.Drivers.Rules;

namespace Virt.Core.Tests.Drivers.Rules;

public sealed class DomainFileNameTests
{
    [TestCase("web01", "web01")]
    [TestCase("Web-01_a.b", "Web-01_a.b")]
    [TestCase("..", "%2E.")]
    [TestCase(".", "%2E")]
    [TestCase(".hidden", "%2Ehidden")]
    [TestCase("a/b", "a%2Fb")]
    [TestCase("../etc", "%2E.%2Fetc")]
    [TestCase("a\\b", "a%5Cb")]
    [TestCase("a\0b", "a%00b")]
    [TestCase("tab\there", "tab%09here")]
    [TestCase("100%", "100%25")]
    [TestCase("%2E", "%252E")]
    [TestCase(" ", "%20")]
    [TestCase("-rf", "-rf")]
    [TestCase("é", "%C3%A9")]
    [TestCase("~", "%7E")]
    public void EncodesAsDocumented(string name, string component) =>
        Assert.That(DomainFileName.ToPathComponent(name), Is.EqualTo(component));

    [Test]
    public void EmptyOrInvalidUtf16NamesAreRefused()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => DomainFileName.ToPathComponent(string.Empty));
            Assert.Throws<ArgumentNullException>(() => DomainFileName.ToPathComponent(null!));
            Assert.Throws<ArgumentException>(() => DomainFileName.ToPathComponent("a\uD800b"), "a lone surrogate would otherwise share U+FFFD's bytes");
        });
    }

    [Test]
    public void LongNamesAreCutWithAHashAndStayDistinct()
    {
        string a = new('a', 300);
        string b = new string('a', 299) + "b";
        string ca = DomainFileName.ToPathComponent(a);
        string cb = DomainFileName.ToPathComponent(b);
        Assert.Multiple(() =>
        {
            Assert.That(ca, Has.Length.EqualTo(DomainFileName.MaxLength));
            Assert.That(ca, Does.StartWith(new string('a', 167) + "~"));
            Assert.That(cb, Is.Not.EqualTo(ca));
            Assert.That(DomainFileName.ToPathComponent(new string('a', DomainFileName.MaxLength)), Is.EqualTo(new string('a', DomainFileName.MaxLength)), "200 bytes is not cut");
            Assert.That(DomainFileName.ToPathComponent(new string('a', DomainFileName.MaxLength + 1)), Does.Contain("~"));
        });
    }

    [Test]
    public void ACutNeverSplitsAnEscape()
    {
        for (int prefix = 160; prefix < 170; prefix++)
        {
            string component = DomainFileName.ToPathComponent(new string('a', prefix) + new string('/', 100));
            string kept = component[..component.IndexOf('~', StringComparison.Ordinal)];
            Assert.That(kept, Does.Match("^a*(%2F)*$"), $"prefix {prefix}: {component}");
        }
    }

    [Test]
    public void HostileNamesStayInsideTheirFolderAndNeverCollide()
    {
        var names = HostileNames().Distinct(StringComparer.Ordinal).ToList();
        string root = Path.Combine(Path.GetTempPath(), "virt-names");
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            string component = DomainFileName.ToPathComponent(name);
            string shown = Escape(name);
            Assert.Multiple(() =>
            {
                Assert.That(Path.GetFileName(component), Is.EqualTo(component), shown);
                Assert.That(component, Is.Not.EqualTo(".").And.Not.EqualTo("..").And.Not.StartWith("."), shown);
                Assert.That(component.IndexOfAny(['/', '\\', '\0']), Is.EqualTo(-1), shown);
                Assert.That(component.All(char.IsAscii) && component.All(c => !char.IsControl(c)), Is.True, shown);
                Assert.That(Encoding.UTF8.GetByteCount(component), Is.InRange(1, DomainFileName.MaxLength), shown);
                Assert.That(Path.GetDirectoryName(Path.GetFullPath(Path.Combine(root, component))), Is.EqualTo(root), shown);
                Assert.That(DomainFileName.ToPathComponent(name), Is.EqualTo(component), "deterministic: " + shown);
            });
            if (seen.TryGetValue(component, out string? other))
            {
                Assert.Fail($"'{shown}' and '{Escape(other)}' both map to '{component}'");
            }

            seen.Add(component, name);
        }

        Assert.That(seen, Has.Count.EqualTo(names.Count));
    }

    private static IEnumerable<string> HostileNames()
    {
        string[] pieces = [".", "..", "/", "\\", "%", "%2E", "%2F", "%25", "~", "\0", "\n", "\r", "\t", "\u007f", " ", "a", "A", "é", "e\u0301", "日本", "😀", "-", "_", "*", "?", ":", "\"", "'", "|", "<", ">"];
        foreach (string p in pieces)
        {
            yield return p;
            foreach (string q in pieces)
            {
                yield return p + q;
                yield return p + "x" + q;
            }
        }

        for (int c = 1; c < 0x80; c++)
        {
            yield return ((char)c).ToString();
        }

        var random = new Random(8);
        for (int i = 0; i < 2000; i++)
        {
            int length = random.Next(1, 400);
            var text = new StringBuilder(length);
            for (int j = 0; j < length; j++)
            {
                text.Append(pieces[random.Next(pieces.Length)]);
            }

            yield return text.ToString();
        }

        // Long names that differ only after the cut, or only in their last character.
        for (int length = 190; length < 260; length++)
        {
            yield return new string('a', length);
            yield return new string('a', length - 1) + "b";
            yield return new string('/', length);
            yield return new string('.', length);
        }

        yield return new string('a', 10_000);
        yield return new string('a', 10_000) + ".";
    }

    private static string Escape(string name) =>
        string.Concat(name.Take(80).Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
