namespace Virt.Testing.Tests;

/// <summary>Lifecycle calls, states, reasons and error messages, each checked against virsh -c test:///default (libvirt 9.0).</summary>
public sealed class DomainLifecycleTests : TestConnectionFixture
{
    private static DomainStateInfo State(DomainState state, DomainRunningReason reason) => new(state, (int)reason);

    private static DomainStateInfo State(DomainState state, DomainPausedReason reason) => new(state, (int)reason);

    private static DomainStateInfo State(DomainState state, DomainShutoffReason reason) => new(state, (int)reason);

    [Test]
    public void DefinedDomainIsShutOffWithUnknownReason()
    {
        var m = Connection.DefineDomain(MinimalXml);
        Assert.Multiple(() =>
        {
            Assert.That(m.Name, Is.EqualTo("m"));
            Assert.That(m.GetState(), Is.EqualTo(State(DomainState.Shutoff, DomainShutoffReason.Unknown)));
            Assert.That(m.Id, Is.Null);
            Assert.That(m.IsActive, Is.False);
            Assert.That(m.IsPersistent, Is.True);
            Assert.That(m.GetInfo().MaxMemoryKiB, Is.EqualTo(1024UL));
            Assert.That(m.GetInfo().VirtualCpuCount, Is.EqualTo(1));
        });
    }

    [Test]
    public void StartSuspendResumeShutdownFollowVirsh()
    {
        var m = Connection.DefineDomain(MinimalXml);

        m.Start();
        Assert.That(m.GetState(), Is.EqualTo(State(DomainState.Running, DomainRunningReason.Booted)));
        Assert.That(m.Id, Is.EqualTo(2));

        m.Suspend();
        Assert.That(m.GetState(), Is.EqualTo(State(DomainState.Paused, DomainPausedReason.User)));
        var again = Fails(m.Suspend);
        Assert.That((again.Code, again.Message), Is.EqualTo((VirtErrorCode.InternalError, "internal error: domain 'm' not running")));

        m.Resume();
        Assert.That(m.GetState(), Is.EqualTo(State(DomainState.Running, DomainRunningReason.Unpaused)));
        var notPaused = Fails(m.Resume);
        Assert.That((notPaused.Code, notPaused.Message), Is.EqualTo((VirtErrorCode.InternalError, "internal error: domain 'm' not paused")));

        m.Shutdown();
        Assert.That(m.GetState(), Is.EqualTo(State(DomainState.Shutoff, DomainShutoffReason.Shutdown)));
        Assert.That(m.Id, Is.Null);
        var shutdownOff = Fails(() => m.Shutdown());
        Assert.That((shutdownOff.Code, shutdownOff.Message), Is.EqualTo((VirtErrorCode.InternalError, "internal error: domain 'm' not running")));
    }

    [Test]
    public void DestroyOfShutOffDomainIsOperationInvalid()
    {
        var m = Connection.DefineDomain(MinimalXml);
        var ex = Fails(() => m.Destroy());
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.OperationInvalid));
            Assert.That(ex.Message, Is.EqualTo("Requested operation is not valid: domain is not running"));
        });
    }

    [Test]
    public void SuspendAndResumeOfShutOffDomainFail()
    {
        var m = Connection.DefineDomain(MinimalXml);
        Assert.Multiple(() =>
        {
            Assert.That(Fails(m.Suspend).Message, Is.EqualTo("internal error: domain 'm' not running"));
            Assert.That(Fails(m.Resume).Message, Is.EqualTo("internal error: domain 'm' not paused"));
        });
    }

    [Test]
    public void DestroyGivesDestroyedReasonAndIdsKeepCounting()
    {
        var m = Connection.DefineDomain(MinimalXml);
        m.Start();
        m.Destroy();
        Assert.That(m.GetState(), Is.EqualTo(State(DomainState.Shutoff, DomainShutoffReason.Destroyed)));
        m.Start();
        Assert.That(m.Id, Is.EqualTo(3));
        var test = Connection.LookupDomainByName("test");
        test.Destroy();
        test.Start();
        Assert.That(test.Id, Is.EqualTo(4));
    }

    [Test]
    public void StartPausedLeavesDomainPausedByUser()
    {
        var m = Connection.DefineDomain(MinimalXml);
        m.Start(DomainStartFlags.Paused);
        Assert.Multiple(() =>
        {
            Assert.That(m.GetState(), Is.EqualTo(State(DomainState.Paused, DomainPausedReason.User)));
            Assert.That(m.IsActive, Is.True);
            Assert.That(m.Id, Is.EqualTo(2));
        });
        m.Resume();
        Assert.That(m.GetState(), Is.EqualTo(State(DomainState.Running, DomainRunningReason.Unpaused)));
    }

    [Test]
    public void StartOfRunningDomainIsInternalErrorLikeTheTestDriver()
    {
        var ex = Fails(() => Connection.LookupDomainByName("test").Start());
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.InternalError));
            Assert.That(ex.Message, Is.EqualTo("internal error: Domain 'test' is already running"));
        });
    }

    [Test]
    public void ShutdownOfPausedDomainTurnsItOff()
    {
        var m = Connection.DefineDomain(MinimalXml);
        m.Start();
        m.Suspend();
        m.Shutdown();
        Assert.That(m.GetState(), Is.EqualTo(State(DomainState.Shutoff, DomainShutoffReason.Shutdown)));
    }

    [Test]
    public void ShutdownOfDomainThatRestartsOnPoweroffKeepsItRunning()
    {
        var m = Connection.DefineDomain(MinimalXml.Replace("</os>", "</os><on_poweroff>restart</on_poweroff>", StringComparison.Ordinal));
        m.Start();
        m.Shutdown();
        Assert.Multiple(() =>
        {
            Assert.That(m.GetState(), Is.EqualTo(State(DomainState.Running, DomainRunningReason.Booted)));
            Assert.That(m.Id, Is.EqualTo(2));
        });
    }

    [Test]
    public void ShutdownAndWaitReturnsOnceOff()
    {
        var m = Connection.DefineDomain(MinimalXml);
        m.Start();
        m.ShutdownAndWait(TimeSpan.FromSeconds(5));
        Assert.That(m.GetState().State, Is.EqualTo(DomainState.Shutoff));
    }

    [Test]
    public void LiveXmlCarriesIdInactiveDoesNot()
    {
        var m = Connection.DefineDomain(MinimalXml);
        m.Start();
        Assert.Multiple(() =>
        {
            Assert.That(m.GetXmlDescription(), Does.StartWith("<domain type='test' id='2'>\n  <name>m</name>\n"));
            Assert.That(m.GetXmlDescription(DomainXmlFlags.Inactive), Does.StartWith("<domain type='test'>\n  <name>m</name>\n"));
        });
        m.Destroy();
        Assert.That(m.GetXmlDescription(), Does.StartWith("<domain type='test'>\n"));
    }

    [Test]
    public void UnknownFlagsAreInvalidArg()
    {
        var m = Connection.DefineDomain(MinimalXml);
        var ex = Fails(() => m.Start((DomainStartFlags)0x40));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
            Assert.That(ex.Message, Is.EqualTo("unsupported flags (0x40) in function StartDomain"));
        });
    }

    [Test]
    public void UpdateCpuXmlFlagIsUnsupportedLikeTheTestDriver() =>
        Assert.That(Fails(() => Connection.LookupDomainByName("test").GetXmlDescription(DomainXmlFlags.UpdateCpu)).Message,
            Is.EqualTo("unsupported flags (0x4) in function GetDomainXml"));

    [Test]
    public void TransientDomainsInactiveXmlIsItsLiveDefinitionWithoutId()
    {
        var test = Connection.LookupDomainByName("test");
        test.Undefine();
        Assert.That(test.GetXmlDescription(DomainXmlFlags.Inactive), Does.StartWith("<domain type='test'>\n  <name>test</name>"));
    }

    [Test]
    public void AutoDestroyDomainStopsWhenItsConnectionCloses()
    {
        var other = Open();
        other.LookupDomainByName("test").Destroy();
        other.LookupDomainByName("test").Start(DomainStartFlags.AutoDestroy);
        other.Dispose();
        Assert.That(Connection.LookupDomainByName("test").GetState(), Is.EqualTo(State(DomainState.Shutoff, DomainShutoffReason.Destroyed)));
    }

    [Test]
    public void AutoDestroyIsForgottenWhenTheDomainStopsThroughAnotherConnection()
    {
        var owner = Open();
        owner.LookupDomainByName("test").Destroy();
        owner.LookupDomainByName("test").Start(DomainStartFlags.AutoDestroy);
        var test = Connection.LookupDomainByName("test");
        test.Destroy();
        test.Start();
        owner.Dispose();
        Assert.That(test.GetState(), Is.EqualTo(State(DomainState.Running, DomainRunningReason.Booted)));
    }

    [Test]
    public void ShutdownAndWaitOnATransientDomainReturnsOnceItIsGone()
    {
        var test = Connection.LookupDomainByName("test");
        test.Undefine();
        test.ShutdownAndWait(TimeSpan.FromSeconds(5));
        Assert.That(Fails(() => Connection.LookupDomainByName("test")).Code, Is.EqualTo(VirtErrorCode.NoDomain));
    }
}
