using Virt.Cli.Parsing;

namespace Virt.Cli.Tests;

public sealed class TokenizerTests
{
    private static List<string> Words(string text)
    {
        var source = new StringTokenSource(text);
        var words = new List<string>();
        while (true)
        {
            var kind = source.Next(out string value, out _);
            if (kind == TokenKind.Arg)
            {
                words.Add(value);
            }
            else if (kind == TokenKind.CommandEnd)
            {
                words.Add("<;>");
            }
            else
            {
                words.Add(kind == TokenKind.End ? "<end>" : "<error>");
                return words;
            }
        }
    }

    [TestCase("a  b\tc", new[] { "a", "b", "c", "<end>" })]
    [TestCase("\"a b\" 'c d'", new[] { "a b", "c d", "<end>" })]
    [TestCase("mi\"x e\"d'q'", new[] { "mix edq", "<end>" })]
    [TestCase("'a\\b' \"c\\\"d\"", new[] { "a\\b", "c\"d", "<end>" })]
    [TestCase("a\\ b", new[] { "a b", "<end>" })]
    [TestCase("'a;b' c;d", new[] { "a;b", "c", "<;>", "d", "<end>" })]
    [TestCase("a # rest; b\nc", new[] { "a", "<;>", "c", "<end>" })]
    [TestCase("a#b", new[] { "a#b", "<end>" })]
    [TestCase("ab\\\ncd", new[] { "abcd", "<end>" })]
    [TestCase("'unterminated single", new[] { "unterminated single", "<end>" })]
    [TestCase("\"unterminated double", new[] { "<error>" })]
    [TestCase("trailing\\", new[] { "<error>" })]
    public void SplitsWordsLikeVirsh(string text, string[] expected) =>
        Assert.That(Words(text), Is.EqualTo(expected));
}
