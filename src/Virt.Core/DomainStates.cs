namespace Virt;

/// <summary>What a <see cref="DomainState"/> says about the domain, defined once for the façade and the drivers.</summary>
internal static class DomainStates
{
    /// <summary>Whether a domain in <paramref name="state"/> is active (running, paused or any other state but off), as libvirt's <c>virDomainObjIsActive</c>.</summary>
    public static bool IsActive(this DomainState state) => state is not (DomainState.Shutoff or DomainState.NoState);
}
