namespace Virt;

/// <summary>How to open a domain's console (libvirt's <c>virDomainConsoleFlags</c>).</summary>
[Flags]
public enum DomainConsoleFlags
{
    /// <summary>Fail when another session holds the console.</summary>
    None = 0,
    /// <summary>Take the console over from a session that holds it (that session ends).</summary>
    Force = 1,
    /// <summary>Open only if the driver guards the console against concurrent sessions.</summary>
    Safe = 2,
}
