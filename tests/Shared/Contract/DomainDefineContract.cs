namespace Virt.Contract;

/// <summary>
/// Define and undefine as libvirt's virDomainObjListAdd and the drivers' undefine share them: name and UUID
/// conflicts, redefinition, running domains becoming transient, and snapshots holding an undefine back.
/// </summary>
public abstract class DomainDefineContract(ContractTarget target) : DriverContract(target)
{
    private static long MemoryOf(IVirtDomain domain, DomainXmlFlags flags = DomainXmlFlags.None)
    {
        var memory = System.Xml.Linq.XDocument.Parse(domain.GetXmlDescription(flags)).Root!.Element("memory")!;
        return long.Parse(memory.Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Test]
    public void SameNameWithAnotherUuidIsRefusedNamingTheExistingUuid()
    {
        var domain = Define("samename");
        FailsWith(VirtErrorCode.OperationFailed, $"operation failed: domain '{domain.Name}' already exists with uuid {domain.Uuid:D}",
            () => Connection.DefineDomain(Target.DomainXml(domain.Name, Guid.NewGuid())));
    }

    [Test]
    public void SameUuidWithAnotherNameIsRefusedNamingTheExistingDomain()
    {
        var domain = Define("sameuuid");
        string other = NewName("other");
        FailsWith(VirtErrorCode.OperationFailed, $"operation failed: domain '{domain.Name}' is already defined with uuid {domain.Uuid:D}",
            () => Connection.DefineDomain(Target.DomainXml(other, domain.Uuid)));
    }

    [Test]
    public void RedefinitionReplacesTheDefinitionKeepingTheUuid()
    {
        string name = NewName("redefine");
        var first = Connection.DefineDomain(Target.DomainXml(name, memoryKiB: 65536));
        var second = Connection.DefineDomain(Target.DomainXml(name, first.Uuid, memoryKiB: 131072));
        Assert.Multiple(() =>
        {
            Assert.That(second.Uuid, Is.EqualTo(first.Uuid));
            Assert.That(MemoryOf(second), Is.EqualTo(131072));
            Assert.That(Ours(Connection.ListAllDomains()).Count(n => n == name), Is.EqualTo(1));
        });
    }

    [Test]
    public void RedefinitionWithoutUuidIsRefusedBecauseTheDefinitionGetsANewUuid()
    {
        // virsh define of a file without <uuid> for an existing name fails the same way.
        var domain = Define("nouuid");
        var ex = Fails(() => Connection.DefineDomain(Target.DomainXml(domain.Name, memoryKiB: 131072)));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.OperationFailed));
            Assert.That(ex.Message, Is.EqualTo($"operation failed: domain '{domain.Name}' already exists with uuid {domain.Uuid:D}"));
            Assert.That(MemoryOf(domain), Is.EqualTo(65536), "the definition is unchanged");
        });
    }

    [Test]
    public void RedefinitionOfARunningDomainChangesOnlyThePersistentDefinition()
    {
        string name = NewName("live");
        var domain = Connection.DefineDomain(Target.DomainXml(name, memoryKiB: 65536));
        domain.Start();
        Connection.DefineDomain(Target.DomainXml(name, domain.Uuid, memoryKiB: 131072));
        Assert.Multiple(() =>
        {
            Assert.That(MemoryOf(domain), Is.EqualTo(65536), "the live definition");
            Assert.That(MemoryOf(domain, DomainXmlFlags.Inactive), Is.EqualTo(131072), "the persistent definition");
            Assert.That(domain.IsActive, Is.True);
        });
        domain.Destroy();
        Assert.That(MemoryOf(domain), Is.EqualTo(131072), "the next boot uses the new definition");
    }

    [Test]
    public void UndefineOfAShutOffDomainRemovesIt()
    {
        var domain = Define("undefine");
        domain.Undefine();
        Assert.That(Ours(Connection.ListAllDomains()), Does.Not.Contain(domain.Name));
    }

    [Test]
    public void UndefineOfARunningDomainLeavesItRunningAndTransientUntilItStops()
    {
        var domain = Running("transient");
        domain.Undefine();
        Assert.Multiple(() =>
        {
            Assert.That(domain.IsActive, Is.True);
            Assert.That(domain.IsPersistent, Is.False);
            Assert.That(Connection.LookupDomainByName(domain.Name).GetState().State, Is.EqualTo(DomainState.Running));
        });
        domain.Destroy();
        FailsWith(VirtErrorCode.NoDomain, Target.LookupMissMessage($"no domain with matching name '{domain.Name}'"), () => Connection.LookupDomainByName(domain.Name));
    }

    [Test]
    public void DefiningATransientDomainMakesItPersistentAgain()
    {
        var domain = Transient("persist");
        Connection.DefineDomain(Target.DomainXml(domain.Name, domain.Uuid));
        Assert.Multiple(() =>
        {
            Assert.That(domain.IsPersistent, Is.True);
            Assert.That(domain.IsActive, Is.True);
        });
        domain.Destroy();
        Assert.That(Connection.LookupDomainByName(domain.Name).GetState().State, Is.EqualTo(DomainState.Shutoff));
    }

    [Test]
    public void UndefineOfAShutOffDomainWithSnapshotsNeedsTheSnapshotsMetadataFlag()
    {
        RequireSnapshots();
        var domain = Define("snaps");
        domain.CreateSnapshot("<domainsnapshot><name>s1</name></domainsnapshot>");
        domain.CreateSnapshot("<domainsnapshot><name>s2</name></domainsnapshot>");
        FailsWith(VirtErrorCode.OperationInvalid, "Requested operation is not valid: cannot delete inactive domain with 2 snapshots", () => domain.Undefine());
        Assert.That(Connection.LookupDomainByName(domain.Name).IsPersistent, Is.True, "nothing was removed");
        domain.Undefine(DomainUndefineFlags.SnapshotsMetadata);
        Assert.That(Ours(Connection.ListAllDomains()), Does.Not.Contain(domain.Name));
    }

    [Test]
    public void ARedefinedDomainOfTheSameNameStartsWithoutTheOldSnapshots()
    {
        RequireSnapshots();
        var domain = Define("reborn");
        domain.CreateSnapshot("<domainsnapshot><name>s1</name></domainsnapshot>");
        domain.Undefine(DomainUndefineFlags.SnapshotsMetadata);
        var again = Connection.DefineDomain(Target.DomainXml(domain.Name));
        Assert.Multiple(() =>
        {
            Assert.That(again.ListSnapshots(), Is.Empty);
            Assert.That(again.HasCurrentSnapshot, Is.False);
        });
    }

    [Test]
    public void XmlThatIsNotADomainIsAnXmlError()
    {
        var ex = Fails(() => Connection.DefineDomain("<network><name>n</name></network>"));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.XmlError));
            Assert.That(ex.Message, Does.StartWith("XML error: expecting root element of 'domain', not 'network'"));
        });
    }

    [Test]
    public void HandleOfAnUndefinedDomainCannotBeUndefinedAgain()
    {
        var domain = Define("twice");
        domain.Undefine();
        FailsWith(VirtErrorCode.NoDomain, $"Domain not found: no domain with matching uuid '{domain.Uuid:D}' ({domain.Name})", () => domain.Undefine());
    }
}
