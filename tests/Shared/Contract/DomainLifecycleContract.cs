namespace Virt.Contract;

/// <summary>
/// Lifecycle calls: the states and ids they lead to, and what each says when made in the wrong state (the error
/// or no-op comes from <see cref="ContractTarget.LifecycleError"/>, where libvirt's drivers differ).
/// </summary>
public abstract class DomainLifecycleContract(ContractTarget target) : DriverContract(target)
{
    private void Misuse(LifecycleMisuse misuse, IVirtDomain domain, Action call, DomainState stateAfter)
    {
        ExpectedError? expected = Target.LifecycleError(misuse, domain.Name);
        if (expected is null)
        {
            call();
        }
        else
        {
            FailsWith(expected, call);
        }

        Assert.That(domain.GetState().State, Is.EqualTo(stateAfter), "a refused or no-op call leaves the state as it was");
    }

    [Test]
    public void StartOfARunningDomain()
    {
        var domain = Running("start");
        Misuse(LifecycleMisuse.StartActive, domain, () => domain.Start(), DomainState.Running);
    }

    [Test]
    public void StartOfAPausedDomain()
    {
        var domain = Paused("startpaused");
        Misuse(LifecycleMisuse.StartActive, domain, () => domain.Start(), DomainState.Paused);
    }

    [Test]
    public void SuspendOfAShutOffDomain()
    {
        var domain = Define("suspend");
        Misuse(LifecycleMisuse.SuspendShutOff, domain, domain.Suspend, DomainState.Shutoff);
    }

    [Test]
    public void SuspendOfAPausedDomain()
    {
        var domain = Paused("suspend2");
        Misuse(LifecycleMisuse.SuspendPaused, domain, domain.Suspend, DomainState.Paused);
    }

    [Test]
    public void ResumeOfAShutOffDomain()
    {
        var domain = Define("resume");
        Misuse(LifecycleMisuse.ResumeShutOff, domain, domain.Resume, DomainState.Shutoff);
    }

    [Test]
    public void ResumeOfARunningDomain()
    {
        var domain = Running("resume2");
        Misuse(LifecycleMisuse.ResumeRunning, domain, domain.Resume, DomainState.Running);
    }

    [Test]
    public void ShutdownOfAShutOffDomain()
    {
        var domain = Define("shutdown");
        Misuse(LifecycleMisuse.ShutdownShutOff, domain, () => domain.Shutdown(), DomainState.Shutoff);
    }

    [Test]
    public void DestroyOfAShutOffDomain()
    {
        var domain = Define("destroy");
        Misuse(LifecycleMisuse.DestroyShutOff, domain, () => domain.Destroy(), DomainState.Shutoff);
    }

    [Test]
    public void UndefineOfATransientDomain()
    {
        var domain = Transient("undefine");
        Misuse(LifecycleMisuse.UndefineTransient, domain, () => domain.Undefine(), DomainState.Running);
        Assert.That(domain.IsPersistent, Is.False);
    }

    [Test]
    public void DefinedDomainIsShutOffPersistentAndHasNoId()
    {
        var domain = Define("defined");
        Assert.Multiple(() =>
        {
            Assert.That(domain.GetState().State, Is.EqualTo(DomainState.Shutoff));
            Assert.That(domain.IsActive, Is.False);
            Assert.That(domain.IsPersistent, Is.True);
            Assert.That(domain.Id, Is.Null);
        });
    }

    [Test]
    public void StartSuspendResumeDestroyMoveThroughTheStates()
    {
        var domain = Define("cycle");
        domain.Start();
        Assert.That((domain.GetState().State, domain.IsActive, domain.Id.HasValue), Is.EqualTo((DomainState.Running, true, true)));
        domain.Suspend();
        Assert.That(domain.GetState().State, Is.EqualTo(DomainState.Paused));
        domain.Resume();
        Assert.That(domain.GetState().State, Is.EqualTo(DomainState.Running));
        domain.Destroy();
        Assert.That((domain.GetState().State, domain.IsActive, domain.Id), Is.EqualTo((DomainState.Shutoff, false, (int?)null)));
    }

    [Test]
    public void StartPausedLeavesTheDomainPaused()
    {
        var domain = Define("startpaused2");
        if (!Target.SupportsStartPaused)
        {
            var ex = Fails(() => domain.Start(DomainStartFlags.Paused));
            Assert.Multiple(() =>
            {
                Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
                Assert.That(ex.Message, Does.StartWith("unsupported flags (0x1) in function "));
                Assert.That(domain.GetState().State, Is.EqualTo(DomainState.Shutoff));
            });
            return;
        }

        domain.Start(DomainStartFlags.Paused);
        Assert.That(domain.GetState().State, Is.EqualTo(DomainState.Paused));
    }

    [Test]
    public void EachStartGetsANewId()
    {
        var domain = Running("ids");
        int first = domain.Id!.Value;
        domain.Destroy();
        domain.Start();
        Assert.That(domain.Id, Is.Not.EqualTo(first));
    }

    [Test]
    public void DestroyOfAPausedDomainShutsItOff()
    {
        var domain = Paused("destroypaused");
        domain.Destroy();
        Assert.That(domain.GetState().State, Is.EqualTo(DomainState.Shutoff));
    }
}
