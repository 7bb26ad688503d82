using Virt.Snapshot.Rules;
using static Virt.Snapshot.Tests.Rules.RuleFixtures;

namespace Virt.Snapshot.Tests.Rules;

public class SnapshotRevertPlannerTests
{
    private const string Live = "<domain type='test'><name>vm</name></domain>\n";
    private const string Config = "<domain type='test'><name>vm</name><description>config</description></domain>\n";

    private static SnapshotDefinition Snap(SnapshotState state, string? inactive = null, string? domain = Live) =>
        new() { Name = "s", State = state, DomainXml = domain, InactiveDomainXml = inactive };

    private static SnapshotRevertPlan Plan(SnapshotDefinition snapshot, DomainState state, bool persistent = true, SnapshotRevertFlags flags = SnapshotRevertFlags.None) =>
        SnapshotRevertPlanner.Plan(snapshot, "vm", state, persistent, flags, Profile());

    [Test]
    public void RevertingAnActiveDomainToARunningSnapshotKeepsTheConfigUnlessTheSnapshotRecordedOne()
    {
        var plain = Plan(Snap(SnapshotState.Running), DomainState.Running);
        var withConfig = Plan(Snap(SnapshotState.Running, inactive: Config), DomainState.Paused);

        Assert.Multiple(() =>
        {
            Assert.That(plain, Is.EqualTo(new SnapshotRevertPlan
            {
                Snapshot = plain.Snapshot, LiveDefinitionXml = Live, TargetState = DomainState.Running, TargetReason = (int)DomainRunningReason.FromSnapshot,
            }));
            Assert.That(plain.LoadsMemory, Is.True);
            Assert.That(withConfig.PersistentDefinitionXml, Is.EqualTo(Config));
            Assert.That((withConfig.StopFirst, withConfig.Start), Is.EqualTo((false, false)));
        });
    }

    [Test]
    public void RevertingToAShutOffSnapshotReplacesTheConfigAndStopsAnActiveDomain()
    {
        var active = Plan(Snap(SnapshotState.Shutoff), DomainState.Running);
        var inactive = Plan(Snap(SnapshotState.Shutoff), DomainState.Shutoff);

        Assert.Multiple(() =>
        {
            Assert.That((active.PersistentDefinitionXml, active.StopFirst, active.Start, active.TargetState, active.TargetReason),
                Is.EqualTo((Live, true, false, (DomainState?)DomainState.Shutoff, (int)DomainShutoffReason.FromSnapshot)));
            Assert.That(active.LiveDefinitionXml, Is.Null);
            Assert.That(active.LoadsMemory, Is.False);
            Assert.That((inactive.PersistentDefinitionXml, inactive.StopFirst, inactive.Start, inactive.TargetState), Is.EqualTo((Live, false, false, (DomainState?)null)));
        });
    }

    [Test]
    public void RunningOrPausedFlagsStartTheDomainAndRestartItForAShutOffSnapshot()
    {
        var start = Plan(Snap(SnapshotState.Running), DomainState.Shutoff, flags: SnapshotRevertFlags.Paused);
        var restart = Plan(Snap(SnapshotState.Shutoff), DomainState.Running, flags: SnapshotRevertFlags.Running);
        var snapshotPaused = Plan(Snap(SnapshotState.Paused), DomainState.Running);
        var forcedRunning = Plan(Snap(SnapshotState.Paused), DomainState.Running, flags: SnapshotRevertFlags.Running);

        Assert.Multiple(() =>
        {
            Assert.That((start.Start, start.StopFirst, start.TargetState, start.TargetReason), Is.EqualTo((true, false, (DomainState?)DomainState.Paused, (int)DomainPausedReason.FromSnapshot)));
            Assert.That((restart.StopFirst, restart.Start, restart.LiveDefinitionXml, restart.TargetState), Is.EqualTo((true, true, Live, (DomainState?)DomainState.Running)));
            Assert.That(snapshotPaused.TargetState, Is.EqualTo(DomainState.Paused));
            Assert.That(forcedRunning.TargetState, Is.EqualTo(DomainState.Running));
        });
    }

    [Test]
    public void ATransientDomainKeepsNoConfigAndMustNotEndShutOff()
    {
        var ex = Fails(() => Plan(Snap(SnapshotState.Shutoff), DomainState.Running, persistent: false));
        var running = Plan(Snap(SnapshotState.Shutoff), DomainState.Running, persistent: false, flags: SnapshotRevertFlags.Running);

        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Is.EqualTo("Requested operation is not valid: transient domain needs to request run or pause to revert to inactive snapshot"));
            Assert.That(running.PersistentDefinitionXml, Is.Null);
            Assert.That(Plan(Snap(SnapshotState.Running, inactive: Config), DomainState.Running, persistent: false).PersistentDefinitionXml, Is.Null);
        });
    }

    [Test]
    public void FlagsAndMissingRollbackInformationAreCheckedFirst()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Fails(() => Plan(Snap(SnapshotState.Running), DomainState.Running, flags: SnapshotRevertFlags.ResetNvram)).Message,
                Is.EqualTo("unsupported flags (0x8) in function testDomainRevertToSnapshot"));
            var risky = Fails(() => Plan(Snap(SnapshotState.Running, domain: null), DomainState.Running));
            Assert.That(risky.Code, Is.EqualTo(VirtErrorCode.SnapshotRevertRisky));
            Assert.That(risky.Message, Is.EqualTo("revert requires force: snapshot 's' lacks domain 'vm' rollback info"));
            var forced = Plan(Snap(SnapshotState.Running, domain: null), DomainState.Running, flags: SnapshotRevertFlags.Force);
            Assert.That((forced.LiveDefinitionXml, forced.PersistentDefinitionXml, forced.TargetState), Is.EqualTo(((string?)null, (string?)null, (DomainState?)DomainState.Running)));
        });
    }
}
