using Virt.Cli.Commands;
using Virt.Cli.Parsing;

namespace Virt.Cli.Tests;

public sealed class ParserTests
{
    private static readonly CommandTable Table = AllCommands.Create();

    private static (bool Ok, List<ParsedCommand> Commands, string? Error) Parse(string text)
    {
        bool ok = new CommandParser(Table).TryParse(new StringTokenSource(text), out var commands, out var error);
        return (ok, commands, error);
    }

    [Test]
    public void PositionalWordsFillOptionsInDeclarationOrder()
    {
        var (ok, commands, _) = Parse("shutdown test acpi");
        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.True);
            Assert.That(commands[0].Get("domain"), Is.EqualTo("test"));
            Assert.That(commands[0].Get("mode"), Is.EqualTo("acpi"));
        });
    }

    [Test]
    public void NamedOptionTakesNextWordOrTheValueAfterEquals()
    {
        var (_, commands, _) = Parse("shutdown --mode=agent --domain vm1");
        Assert.Multiple(() =>
        {
            Assert.That(commands[0].Get("domain"), Is.EqualTo("vm1"));
            Assert.That(commands[0].Get("mode"), Is.EqualTo("agent"));
        });
    }

    [Test]
    public void NamedOptionIsNoLongerFilledByPosition()
    {
        var (_, commands, _) = Parse("shutdown --domain vm1 acpi");
        Assert.That(commands[0].Get("mode"), Is.EqualTo("acpi"));
    }

    [Test]
    public void ArgvOptionCollectsEveryRemainingWord()
    {
        var (_, commands, _) = Parse("qemu-monitor-command vm --hmp info  status");
        Assert.Multiple(() =>
        {
            Assert.That(commands[0].GetAll("cmd"), Is.EqualTo(new[] { "info", "status" }));
            Assert.That(commands[0].Has("hmp"), Is.True);
        });
    }

    [Test]
    public void DoubleDashMakesLaterWordsData()
    {
        var (_, commands, _) = Parse("echo -- --err --xml");
        Assert.Multiple(() =>
        {
            Assert.That(commands[0].Has("err"), Is.False);
            Assert.That(commands[0].GetAll("string"), Is.EqualTo(new[] { "--err", "--xml" }));
        });
    }

    [Test]
    public void SemicolonsAndNewlinesSeparateCommands()
    {
        var (_, commands, _) = Parse("domid a; domid b\ndomname c;;");
        Assert.That(commands.Select(c => c.Definition.Name + " " + c.Get("domain")), Is.EqualTo(new[] { "domid a", "domid b", "domname c" }));
    }

    [Test]
    public void HelpOptionTurnsTheCommandIntoHelpForIt()
    {
        var (_, commands, _) = Parse("domstate --help");
        Assert.Multiple(() =>
        {
            Assert.That(commands[0].Definition.Name, Is.EqualTo("help"));
            Assert.That(commands[0].Get("command"), Is.EqualTo("domstate"));
        });
    }

    [Test]
    public void HelpIgnoresUnknownOptionsAndExtraWords()
    {
        var (ok, commands, _) = Parse("help --bogus list extra");
        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.True);
            Assert.That(commands[0].Get("command"), Is.EqualTo("list"));
        });
    }

    [TestCase("nosuch", "unknown command: 'nosuch'")]
    [TestCase("domid", "command 'domid' requires <domain> option")]
    [TestCase("dominfo --bogus x", "command 'dominfo' doesn't support option --bogus")]
    [TestCase("domstate a b", "unexpected data 'b'")]
    [TestCase("domstate a --domain b", "option --domain already seen")]
    [TestCase("domstate a --reason=1", "invalid '=' after option --reason")]
    [TestCase("domstate --domain", "expected syntax: --domain <string>")]
    [TestCase("echo \"open", "missing \"")]
    [TestCase("echo x\\", "dangling \\")]
    [TestCase("list -all", "unexpected data '-all'")]
    [TestCase("qemu-monitor-command vm", "command 'qemu-monitor-command' requires <cmd> option")]
    [TestCase("domid a; nosuch", "unknown command: 'nosuch'")]
    public void SyntaxErrorsUseVirshWording(string text, string message)
    {
        var (ok, commands, error) = Parse(text);
        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.False);
            Assert.That(error, Is.EqualTo(message));
        });
    }

    [Test]
    public void ArgvModeTreatsEachArgumentAsOneWord()
    {
        bool ok = new CommandParser(Table).TryParse(new ArgvTokenSource(["domstate", "a; uri", "--reason"]), out var commands, out _);
        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.True);
            Assert.That(commands, Has.Count.EqualTo(1));
            Assert.That(commands[0].Get("domain"), Is.EqualTo("a; uri"));
            Assert.That(commands[0].Has("reason"), Is.True);
        });
    }
}
