using Virt.Snapshot.Rules;

namespace Virt.Snapshot.Tests.Rules;

public class SnapshotStateConversionTests
{
    [Test]
    public void Every_domain_state_maps_to_the_snapshot_state_of_the_same_name_and_back()
    {
        foreach (var state in Enum.GetValues<DomainState>())
        {
            var snapshot = SnapshotStateConversion.FromDomainState(state);
            Assert.Multiple(() =>
            {
                Assert.That(snapshot.ToString(), Is.EqualTo(state.ToString()));
                Assert.That(SnapshotStateConversion.ToDomainState(snapshot), Is.EqualTo(state));
            });
        }
    }

    [Test]
    public void Every_snapshot_state_but_disk_snapshot_has_a_domain_state()
    {
        foreach (var state in Enum.GetValues<SnapshotState>())
        {
            var domain = SnapshotStateConversion.ToDomainState(state);
            if (state == SnapshotState.DiskSnapshot)
            {
                Assert.That(domain, Is.Null);
            }
            else
            {
                Assert.That(domain.ToString(), Is.EqualTo(state.ToString()));
            }
        }
    }

    [Test]
    public void Undefined_values_are_refused_not_cast()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => SnapshotStateConversion.FromDomainState((DomainState)8));
            Assert.Throws<ArgumentOutOfRangeException>(() => SnapshotStateConversion.ToDomainState((SnapshotState)9));
        });
    }
}
