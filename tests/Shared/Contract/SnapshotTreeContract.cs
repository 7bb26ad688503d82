namespace Virt.Contract;

/// <summary>
/// The snapshot tree as libvirt's virdomainmomentobjlist.c and the drivers' create/delete/revert keep it:
/// current, parent and children after each change, and redefinitions that would break the tree refused.
/// </summary>
public abstract class SnapshotTreeContract(ContractTarget target) : SnapshotContract(target)
{
    [Test]
    public void WithoutSnapshotsThereIsNoCurrent()
    {
        Assert.That(Domain.HasCurrentSnapshot, Is.False);
        FailsWith(VirtErrorCode.NoDomainSnapshot, "Domain snapshot not found: the domain does not have a current snapshot", () => Domain.GetCurrentSnapshot());
    }

    [Test]
    public void FirstSnapshotIsCurrentAndARootWithoutParent()
    {
        var a = Create("a");
        Assert.Multiple(() =>
        {
            Assert.That(a.IsCurrent, Is.True);
            Assert.That(CurrentName, Is.EqualTo("a"));
            Assert.That(a.HasMetadata, Is.True);
            FailsWith(VirtErrorCode.NoDomainSnapshot, "Domain snapshot not found: snapshot 'a' does not have a parent", () => a.GetParent());
        });
    }

    [Test]
    public void NextSnapshotIsAChildOfTheCurrentAndBecomesCurrent()
    {
        Chain("a", "b");
        Assert.Multiple(() =>
        {
            Assert.That(ParentOf("b"), Is.EqualTo("a"));
            Assert.That(CurrentName, Is.EqualTo("b"));
            Assert.That(Domain.LookupSnapshot("a").IsCurrent, Is.False);
            Assert.That(Names(Domain.LookupSnapshot("a").ListChildren()), Is.EqualTo(new[] { "b" }));
        });
    }

    [Test]
    public void SnapshotXmlNamesTheSnapshotItsParentAndTheDomainState()
    {
        Chain("a", "b");
        var root = System.Xml.Linq.XDocument.Parse(Domain.LookupSnapshot("b").GetXmlDescription()).Root!;
        Assert.Multiple(() =>
        {
            Assert.That(root.Name.LocalName, Is.EqualTo("domainsnapshot"));
            Assert.That(root.Element("name")?.Value, Is.EqualTo("b"));
            Assert.That(root.Element("parent")?.Element("name")?.Value, Is.EqualTo("a"));
            Assert.That(root.Element("state")?.Value, Is.EqualTo("shutoff"));
            Assert.That(root.Element("creationTime"), Is.Not.Null);
            Assert.That(root.Element("domain")?.Element("name")?.Value, Is.EqualTo(Domain.Name));
        });
    }

    [Test]
    public void ExistingNameIsRefused()
    {
        Create("a");
        FailsWith(VirtErrorCode.OperationFailed, "operation failed: domain moment a already exists", () => Create("a"));
        Assert.That(Listed(), Is.EqualTo(new[] { "a" }));
    }

    [Test]
    public void MissingNameIsNoDomainSnapshot()
    {
        FailsWith(VirtErrorCode.NoDomainSnapshot, "Domain snapshot not found: no domain snapshot with matching name 'nope'", () => Domain.LookupSnapshot("nope"));
    }

    [Test]
    public void SnapshotNamesBelongToTheirDomain()
    {
        Create("a");
        var other = Define("other");
        other.CreateSnapshot(SnapshotXml("a"));
        Assert.Multiple(() =>
        {
            Assert.That(Listed(), Is.EqualTo(new[] { "a" }));
            Assert.That(Names(other.ListSnapshots()), Is.EqualTo(new[] { "a" }));
            Assert.That(other.LookupSnapshot("a").Domain.Name, Is.EqualTo(other.Name));
        });
        other.LookupSnapshot("a").Delete();
        Assert.That(Listed(), Is.EqualTo(new[] { "a" }), "deleting the other domain's 'a' leaves this one");
    }

    [Test]
    public void RevertMakesTheTargetCurrentAndTheNextSnapshotBranchesFromIt()
    {
        Chain("a", "b", "c");
        Domain.LookupSnapshot("a").Revert();
        Assert.That(CurrentName, Is.EqualTo("a"));
        Create("d");
        Assert.Multiple(() =>
        {
            Assert.That(ParentOf("d"), Is.EqualTo("a"));
            Assert.That(Names(Domain.LookupSnapshot("a").ListChildren()), Is.EqualTo(new[] { "b", "d" }));
            Assert.That(Listed(SnapshotListFlags.Leaves), Is.EqualTo(new[] { "c", "d" }));
        });
    }

    [Test]
    public void RevertOfAShutOffSnapshotRestoresItsDefinitionAndLeavesTheDomainShutOff()
    {
        string name = Domain.Name;
        Create("small");
        Connection.DefineDomain(Target.DomainXml(name, Domain.Uuid, memoryKiB: 131072));
        Domain.LookupSnapshot("small").Revert();
        var memory = System.Xml.Linq.XDocument.Parse(Domain.GetXmlDescription()).Root!.Element("memory")!.Value;
        Assert.Multiple(() =>
        {
            Assert.That(memory, Is.EqualTo("65536"));
            Assert.That(Domain.GetState().State, Is.EqualTo(DomainState.Shutoff));
        });
    }

    [Test]
    public void DeletingTheCurrentLeafMakesItsParentCurrent()
    {
        Chain("a", "b");
        Domain.LookupSnapshot("b").Delete();
        Assert.Multiple(() =>
        {
            Assert.That(CurrentName, Is.EqualTo("a"));
            Assert.That(Listed(), Is.EqualTo(new[] { "a" }));
            Assert.That(Domain.LookupSnapshot("a").ListChildren(), Is.Empty);
        });
    }

    [Test]
    public void DeletingTheOnlySnapshotLeavesNoCurrent()
    {
        Create("a").Delete();
        Assert.Multiple(() =>
        {
            Assert.That(Domain.HasCurrentSnapshot, Is.False);
            Assert.That(Listed(), Is.Empty);
        });
    }

    [Test]
    public void DeletingAMiddleSnapshotReparentsItsChildrenToItsParent()
    {
        Chain("a", "b", "c");
        Domain.LookupSnapshot("b").Revert();
        Create("d");
        Domain.LookupSnapshot("b").Delete();
        Assert.Multiple(() =>
        {
            Assert.That(ParentOf("c"), Is.EqualTo("a"));
            Assert.That(ParentOf("d"), Is.EqualTo("a"));
            Assert.That(Names(Domain.LookupSnapshot("a").ListChildren()), Is.EqualTo(new[] { "c", "d" }));
            Assert.That(CurrentName, Is.EqualTo("d"));
        });
    }

    [Test]
    public void DeletingARootMakesItsChildrenRoots()
    {
        Chain("a", "b");
        Domain.LookupSnapshot("a").Revert();
        Create("c");
        Domain.LookupSnapshot("a").Delete();
        Assert.Multiple(() =>
        {
            Assert.That(ParentOf("b"), Is.Null);
            Assert.That(ParentOf("c"), Is.Null);
            Assert.That(Listed(SnapshotListFlags.Roots), Is.EqualTo(new[] { "b", "c" }));
        });
    }

    [Test]
    public void DeleteWithChildrenRemovesTheSubtreeAndCurrentInsideMovesToItsParent()
    {
        Chain("a", "b", "c");
        Domain.LookupSnapshot("a").Revert();
        Create("x");
        Domain.LookupSnapshot("c").Revert();
        Domain.LookupSnapshot("b").Delete(SnapshotDeleteFlags.Children);
        Assert.Multiple(() =>
        {
            Assert.That(Listed(), Is.EqualTo(new[] { "a", "x" }));
            Assert.That(CurrentName, Is.EqualTo("a"));
            Assert.That(Names(Domain.LookupSnapshot("a").ListChildren()), Is.EqualTo(new[] { "x" }));
        });
    }

    [Test]
    public void DeleteWithChildrenOfARootWithCurrentInsideLeavesNoCurrent()
    {
        Chain("a", "b");
        Domain.LookupSnapshot("a").Delete(SnapshotDeleteFlags.Children);
        Assert.Multiple(() =>
        {
            Assert.That(Listed(), Is.Empty);
            Assert.That(Domain.HasCurrentSnapshot, Is.False);
        });
    }

    [Test]
    public void DeleteChildrenOnlyKeepsTheSnapshotAndCurrentInsideMovesToIt()
    {
        Chain("a", "b", "c");
        Domain.LookupSnapshot("a").Delete(SnapshotDeleteFlags.ChildrenOnly);
        Assert.Multiple(() =>
        {
            Assert.That(Listed(), Is.EqualTo(new[] { "a" }));
            Assert.That(CurrentName, Is.EqualTo("a"));
            Assert.That(Domain.LookupSnapshot("a").ListChildren(), Is.Empty);
            Assert.That(Listed(SnapshotListFlags.Leaves), Is.EqualTo(new[] { "a" }));
        });
    }

    [Test]
    public void DeleteChildrenOnlyWithCurrentOutsideKeepsCurrent()
    {
        Chain("a", "b");
        Domain.LookupSnapshot("a").Revert();
        Create("c");
        Domain.LookupSnapshot("b").Delete(SnapshotDeleteFlags.ChildrenOnly);
        Assert.Multiple(() =>
        {
            Assert.That(Listed(), Is.EqualTo(new[] { "a", "b", "c" }));
            Assert.That(CurrentName, Is.EqualTo("c"));
        });
    }

    [Test]
    public void DeleteMetadataOnlyKeepsTheTreeConsistentOrIsRefusedWithoutChange()
    {
        Chain("a", "b", "c");
        var b = Domain.LookupSnapshot("b");
        if (Target.SupportsSnapshotMetadataOnlyDelete)
        {
            b.Delete(SnapshotDeleteFlags.MetadataOnly);
            Assert.Multiple(() =>
            {
                Assert.That(Listed(), Is.EqualTo(new[] { "a", "c" }));
                Assert.That(ParentOf("c"), Is.EqualTo("a"));
                Assert.That(CurrentName, Is.EqualTo("c"));
            });
        }
        else
        {
            var ex = Fails(() => b.Delete(SnapshotDeleteFlags.MetadataOnly));
            Assert.Multiple(() =>
            {
                Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
                Assert.That(ex.Message, Does.StartWith("unsupported flags (0x2) in function "));
                Assert.That(Listed(), Is.EqualTo(new[] { "a", "b", "c" }));
            });
        }
    }

    [Test]
    public void HandleOfADeletedSnapshotIsNoDomainSnapshot()
    {
        var a = Create("a");
        a.Delete();
        var ex = Fails(() => a.GetXmlDescription());
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.NoDomainSnapshot));
            FailsWith(VirtErrorCode.NoDomainSnapshot, "Domain snapshot not found: no domain snapshot with matching name 'a'", () => Domain.LookupSnapshot("a"));
        });
    }

    [Test]
    public void RedefineThatWouldCreateACycleIsRefusedAndTheTreeIsUnchanged()
    {
        Chain("a", "b", "c");
        FailsWith(VirtErrorCode.InvalidArg, "invalid argument: parent b would create cycle to a",
            () => Domain.CreateSnapshot(RedefinitionOf("a", "c"), SnapshotCreateFlags.Redefine));
        Assert.Multiple(() =>
        {
            Assert.That(ParentOf("a"), Is.Null);
            Assert.That(ParentOf("b"), Is.EqualTo("a"));
            Assert.That(CurrentName, Is.EqualTo("c"));
        });
    }

    [Test]
    public void RedefineWithAMissingParentIsRefused()
    {
        Chain("a", "b");
        FailsWith(VirtErrorCode.InvalidArg, "invalid argument: parent nope for moment b not found",
            () => Domain.CreateSnapshot(RedefinitionOf("b", "nope"), SnapshotCreateFlags.Redefine));
        Assert.That(ParentOf("b"), Is.EqualTo("a"));
    }

    [Test]
    public void RedefineOfAnExistingSnapshotKeepsItsPlaceInTheTree()
    {
        Chain("a", "b", "c");
        Domain.CreateSnapshot(RedefinitionOf("b", "a"), SnapshotCreateFlags.Redefine);
        Assert.Multiple(() =>
        {
            Assert.That(ParentOf("b"), Is.EqualTo("a"));
            Assert.That(ParentOf("c"), Is.EqualTo("b"));
            Assert.That(CurrentName, Is.EqualTo("c"), "a redefine without Current does not move current");
        });
    }

    [Test]
    public void RedefineWithCurrentMakesTheSnapshotCurrent()
    {
        Chain("a", "b");
        var a = Domain.CreateSnapshot(RedefinitionOf("a", null), SnapshotCreateFlags.Redefine | SnapshotCreateFlags.Current);
        Assert.Multiple(() =>
        {
            Assert.That(a.IsCurrent, Is.True);
            Assert.That(CurrentName, Is.EqualTo("a"));
            Assert.That(Domain.LookupSnapshot("b").IsCurrent, Is.False);
        });
    }

    [Test]
    public void RedefineOfADeletedSnapshotPutsItBackUnderItsParent()
    {
        Chain("a", "b");
        string xml = RedefinitionOf("b", "a");
        Domain.LookupSnapshot("b").Delete();
        Domain.CreateSnapshot(xml, SnapshotCreateFlags.Redefine);
        Assert.Multiple(() =>
        {
            Assert.That(ParentOf("b"), Is.EqualTo("a"));
            Assert.That(Names(Domain.LookupSnapshot("a").ListChildren()), Is.EqualTo(new[] { "b" }));
            Assert.That(CurrentName, Is.EqualTo("a"), "redefining without Current leaves current alone");
        });
    }
}
