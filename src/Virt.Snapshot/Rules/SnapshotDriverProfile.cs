namespace Virt.Snapshot.Rules;

/// <summary>
/// What one driver supports of the snapshot API, as each libvirt driver lists its own flags in <c>virCheckFlags</c>
/// and names its own function in the "unsupported flags" message. The shared rules take it as input, so a driver
/// states what it supports once and calls them.
/// </summary>
internal sealed record SnapshotDriverProfile
{
    /// <summary>The driver's name in messages, for example <c>test</c>.</summary>
    public required string DriverName { get; init; }

    /// <summary>The create flags the driver accepts.</summary>
    public required SnapshotCreateFlags CreateFlags { get; init; }

    /// <summary>The driver's create function, for example <c>testDomainSnapshotCreateXML</c>.</summary>
    public required string CreateFunction { get; init; }

    /// <summary>The revert flags the driver accepts.</summary>
    public required SnapshotRevertFlags RevertFlags { get; init; }

    /// <summary>The driver's revert function, for example <c>testDomainRevertToSnapshot</c>.</summary>
    public required string RevertFunction { get; init; }

    /// <summary>Whether the driver can save memory to an external file (<c>&lt;memory snapshot='external'/&gt;</c>).</summary>
    public bool ExternalMemory { get; init; }

    /// <summary>Whether a host path is a regular file, as <c>stat(2)</c> tells: external snapshot file names are
    /// generated only next to one (<see cref="SnapshotExternalNames"/>). Virt.Snapshot does no native I/O; the
    /// driver asks its host.</summary>
    public required Func<string, bool> IsRegularFile { get; init; }

    /// <summary>Whether an internal snapshot must include every disk that can be snapshotted (libvirt's
    /// <c>uniform_internal_snapshot</c>: the hypervisor cannot leave a disk out of an internal snapshot).</summary>
    public bool UniformInternal { get; init; } = true;
}
