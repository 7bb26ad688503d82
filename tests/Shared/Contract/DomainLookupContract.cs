namespace Virt.Contract;

/// <summary>Looking domains up by name, UUID and id, and what a miss says (libvirt's virDomainObjListFind* callers).</summary>
public abstract class DomainLookupContract(ContractTarget target) : DriverContract(target)
{
    [Test]
    public void ByNameFindsTheDefinedDomain()
    {
        var defined = Define("name");
        var found = Connection.LookupDomainByName(defined.Name);
        Assert.Multiple(() =>
        {
            Assert.That(found.Name, Is.EqualTo(defined.Name));
            Assert.That(found.Uuid, Is.EqualTo(defined.Uuid));
            Assert.That(found.Uuid, Is.Not.EqualTo(Guid.Empty), "the driver assigns a UUID");
        });
    }

    [Test]
    public void ByUuidFindsTheDomainDefinedWithThatUuid()
    {
        var uuid = Guid.NewGuid();
        string name = NewName("uuid");
        Connection.DefineDomain(Target.DomainXml(name, uuid));
        var found = Connection.LookupDomainByUuid(uuid);
        Assert.Multiple(() =>
        {
            Assert.That(found.Name, Is.EqualTo(name));
            Assert.That(found.Uuid, Is.EqualTo(uuid));
        });
    }

    [Test]
    public void ByIdFindsARunningDomainAndAShutOffOneHasNoId()
    {
        var running = Running("id");
        var off = Define("noid");
        Assert.Multiple(() =>
        {
            Assert.That(running.Id, Is.Not.Null.And.GreaterThan(0));
            Assert.That(Connection.LookupDomainById(running.Id!.Value).Name, Is.EqualTo(running.Name));
            Assert.That(off.Id, Is.Null);
        });
    }

    [Test]
    public void MissingNameIsNoDomainNamingWhatWasLookedFor()
    {
        string name = NewName("missing");
        FailsWith(VirtErrorCode.NoDomain, Target.LookupMissMessage($"no domain with matching name '{name}'"), () => Connection.LookupDomainByName(name));
    }

    [Test]
    public void MissingUuidIsNoDomainNamingWhatWasLookedFor()
    {
        var uuid = Guid.NewGuid();
        FailsWith(VirtErrorCode.NoDomain, Target.LookupMissMessage($"no domain with matching uuid '{uuid:D}'"), () => Connection.LookupDomainByUuid(uuid));
    }

    [Test]
    public void MissingIdIsNoDomainNamingWhatWasLookedFor()
    {
        FailsWith(VirtErrorCode.NoDomain, Target.LookupMissMessage("no domain with matching id 987654"), () => Connection.LookupDomainById(987654));
    }

    [Test]
    public void ShutOffDomainIsNotFoundById()
    {
        var running = Running("stopped");
        int id = running.Id!.Value;
        running.Destroy();
        FailsWith(VirtErrorCode.NoDomain, Target.LookupMissMessage($"no domain with matching id {id}"), () => Connection.LookupDomainById(id));
    }

    [Test]
    public void UndefinedDomainIsNotFound()
    {
        var domain = Define("gone");
        domain.Undefine();
        Assert.Multiple(() =>
        {
            FailsWith(VirtErrorCode.NoDomain, Target.LookupMissMessage($"no domain with matching name '{domain.Name}'"), () => Connection.LookupDomainByName(domain.Name));
            FailsWith(VirtErrorCode.NoDomain, Target.LookupMissMessage($"no domain with matching uuid '{domain.Uuid:D}'"), () => Connection.LookupDomainByUuid(domain.Uuid));
        });
    }

    [Test]
    public void HandleOfAnUndefinedDomainFailsWithNoDomainNamingUuidAndName()
    {
        var domain = Define("stale");
        Connection.LookupDomainByName(domain.Name).Undefine();
        FailsWith(VirtErrorCode.NoDomain, $"Domain not found: no domain with matching uuid '{domain.Uuid:D}' ({domain.Name})", () => domain.GetState());
    }

    [Test]
    public void NamesAreCaseSensitive()
    {
        var domain = Define("case");
        string upper = domain.Name.ToUpperInvariant();
        FailsWith(VirtErrorCode.NoDomain, Target.LookupMissMessage($"no domain with matching name '{upper}'"), () => Connection.LookupDomainByName(upper));
    }

    [Test]
    public void AnotherConnectionToTheSameDriverSeesTheDomain()
    {
        var domain = Running("shared");
        using var second = Target.Open();
        var seen = second.LookupDomainByUuid(domain.Uuid);
        Assert.Multiple(() =>
        {
            Assert.That(seen.Name, Is.EqualTo(domain.Name));
            Assert.That(seen.IsActive, Is.True);
        });
    }

    [Test]
    public void HandlesFromLookupsFollowTheDomainsState()
    {
        var domain = Define("follow");
        var other = Connection.LookupDomainByName(domain.Name);
        domain.Start();
        Assert.Multiple(() =>
        {
            Assert.That(other.IsActive, Is.True);
            Assert.That(other.GetState().State, Is.EqualTo(DomainState.Running));
            Assert.That(other.Id, Is.EqualTo(domain.Id));
        });
    }
}
