namespace Virt.Conf;

/// <summary>The <c>&lt;clock&gt;</c> element.</summary>
public sealed class DomainClock
{
    /// <summary>How the guest clock relates to the host: <c>utc</c>, <c>localtime</c>, <c>timezone</c> or <c>variable</c>.</summary>
    public string Offset { get; set; } = "utc";

    /// <summary>The timers, in order.</summary>
    public IList<DomainTimer> Timers { get; } = new List<DomainTimer>();

    internal ElementExtras Extras { get; } = new();
}

/// <summary>A <c>&lt;timer&gt;</c> of the guest clock.</summary>
public sealed class DomainTimer
{
    /// <summary>Creates a timer.</summary>
    /// <param name="name">The timer's name, for example <c>rtc</c>, <c>pit</c>, <c>hpet</c>.</param>
    public DomainTimer(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>The timer's name: <c>rtc</c>, <c>pit</c>, <c>hpet</c>, <c>kvmclock</c>, <c>tsc</c>, <c>hypervclock</c>...</summary>
    public string Name { get; set; }

    /// <summary>Whether the timer is present (<c>present='yes'/'no'</c>); null when not stated.</summary>
    public bool? Present { get; set; }

    /// <summary><c>delay</c>, <c>catchup</c>, <c>merge</c> or <c>discard</c>; null when not stated.</summary>
    public string? TickPolicy { get; set; }

    internal ElementExtras Extras { get; } = new();
}
