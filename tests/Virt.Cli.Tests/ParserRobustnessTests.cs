using Virt.Cli.Commands;
using Virt.Cli.Parsing;

namespace Virt.Cli.Tests;

public sealed class ParserRobustnessTests
{
    private const string Alphabet = "ab -=;\n\t'\"\\#x1";
    private static readonly string[] Words = ["list", "domstate", "echo", "help", "--all", "--reason", "--domain", "--domain=", "--", "--help", "test", "qemu-monitor-command", "--cmd", "snapshot-list", "--from"];

    [Test]
    public void RandomInputNeverThrowsAndAlwaysEndsInCommandsOrAMessage()
    {
        var parser = new CommandParser(AllCommands.Create());
        var random = new Random(20261122);
        for (int i = 0; i < 20000; i++)
        {
            var text = new System.Text.StringBuilder();
            int parts = random.Next(0, 12);
            for (int p = 0; p < parts; p++)
            {
                if (random.Next(2) == 0)
                {
                    text.Append(Words[random.Next(Words.Length)]).Append(' ');
                }
                else
                {
                    text.Append(Alphabet[random.Next(Alphabet.Length)]);
                }
            }

            string input = text.ToString();
            bool ok = parser.TryParse(new StringTokenSource(input), out var commands, out string? error);
            Assert.That(ok ? error is null && commands is not null : !string.IsNullOrEmpty(error), Is.True, input);
        }
    }

    [Test]
    public void HugeInputParsesInOnePass()
    {
        string input = string.Concat(Enumerable.Repeat("echo abc 'd e' \"f\\\"g\";", 50000));
        bool ok = new CommandParser(AllCommands.Create()).TryParse(new StringTokenSource(input), out var commands, out _);
        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.True);
            Assert.That(commands, Has.Count.EqualTo(50000));
        });
    }
}
