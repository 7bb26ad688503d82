using Virt.Snapshot.Rules;

namespace Virt.Snapshot.Tests.Rules;

public class SnapshotStateConversionTests
{
    [Test]
    public void EveryDomainStateMapsToTheSnapshotStateOfTheSameNameAndBack()
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
    public void EverySnapshotStateButDiskSnapshotHasADomainState()
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
    public void UndefinedValuesAreRefusedNotCast()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => SnapshotStateConversion.FromDomainState((DomainState)8));
            Assert.Throws<ArgumentOutOfRangeException>(() => SnapshotStateConversion.ToDomainState((SnapshotState)9));
        });
    }
}
