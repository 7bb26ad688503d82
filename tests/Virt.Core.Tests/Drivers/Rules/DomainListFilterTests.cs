using Virt.Drivers.Rules;

namespace Virt.Core.Tests.Drivers.Rules;

public sealed class DomainListFilterTests
{
    private static readonly DomainListEntry Running = new(DomainState.Running, IsPersistent: true);
    private static readonly DomainListEntry Paused = new(DomainState.Paused, IsPersistent: false);
    private static readonly DomainListEntry Off = new(DomainState.Shutoff, IsPersistent: true, Autostart: true, HasManagedSave: true, SnapshotCount: 2, CheckpointCount: 1);
    private static readonly DomainListEntry Crashed = new(DomainState.Crashed, IsPersistent: true);
    private static readonly DomainListEntry NoState = new(DomainState.NoState, IsPersistent: true);

    private static readonly (string Name, DomainListEntry Entry)[] All =
        [("running", Running), ("paused", Paused), ("off", Off), ("crashed", Crashed), ("nostate", NoState)];

    [TestCase(ListDomainsFlags.None, "running paused off crashed nostate")]
    [TestCase(ListDomainsFlags.Active, "running paused crashed")]
    [TestCase(ListDomainsFlags.Inactive, "off nostate")]
    [TestCase(ListDomainsFlags.Active | ListDomainsFlags.Inactive, "running paused off crashed nostate")]
    [TestCase(ListDomainsFlags.Transient, "paused")]
    [TestCase(ListDomainsFlags.Persistent | ListDomainsFlags.Inactive, "off nostate")]
    [TestCase(ListDomainsFlags.Other, "crashed nostate")]
    [TestCase(ListDomainsFlags.Running | ListDomainsFlags.Shutoff, "running off")]
    [TestCase(ListDomainsFlags.Active | ListDomainsFlags.Shutoff, "")]
    [TestCase(ListDomainsFlags.ManagedSave, "off")]
    [TestCase(ListDomainsFlags.NoManagedSave, "running paused crashed nostate")]
    [TestCase(ListDomainsFlags.Autostart, "off")]
    [TestCase(ListDomainsFlags.NoAutostart | ListDomainsFlags.Persistent, "running crashed nostate")]
    [TestCase(ListDomainsFlags.HasSnapshot, "off")]
    [TestCase(ListDomainsFlags.NoSnapshot | ListDomainsFlags.Active, "running paused crashed")]
    [TestCase(ListDomainsFlags.HasCheckpoint, "off")]
    [TestCase(ListDomainsFlags.HasCheckpoint | ListDomainsFlags.NoCheckpoint, "running paused off crashed nostate")]
    [TestCase(ListDomainsFlags.Autostart | ListDomainsFlags.NoSnapshot, "")]
    public void GroupsAreOredInsideAndAndedTogether(ListDomainsFlags flags, string expected) =>
        Assert.That(string.Join(' ', All.Where(d => DomainListFilter.Matches(d.Entry, flags)).Select(d => d.Name)), Is.EqualTo(expected));

    [Test]
    public void SupportedIsEveryFlagOfTheEnum()
    {
        var every = Enum.GetValues<ListDomainsFlags>().Aggregate((a, b) => a | b);
        Assert.That(every, Is.EqualTo(DomainListFilter.Supported));
    }
}
