using Virt.Drivers;

namespace Virt.Snapshot.Rules;

/// <summary>
/// Computes a <see cref="SnapshotRevertPlan"/> from the domain's state, its persistence, the snapshot and the flags,
/// with libvirt's checks (<c>virDomainRevertToSnapshot</c>, <c>qemuSnapshotRevertValidate</c>,
/// <c>testDomainRevertToSnapshot</c>) and wording. Pure: nothing changes until a driver executes the plan.
/// </summary>
internal static class SnapshotRevertPlanner
{
    /// <summary>The driver's flag check for a revert (its list; RUNNING with PAUSED is the façade's check, made
    /// before any driver runs). <see cref="Plan"/> makes it too; a driver calls this first when it looks the snapshot
    /// up afterwards, as libvirt does.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/>.</exception>
    public static void CheckFlags(SnapshotRevertFlags flags, SnapshotDriverProfile driver)
    {
        ArgumentNullException.ThrowIfNull(driver);
        DriverFlags.CheckSupported(flags, driver.RevertFlags, driver.RevertFunction);
    }

    /// <summary>Plans the revert.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="domainName">The domain's name (for messages).</param>
    /// <param name="domainState">The domain's state now.</param>
    /// <param name="persistent">Whether the domain has a persistent definition.</param>
    /// <param name="flags">The revert flags.</param>
    /// <param name="driver">What the driver supports.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> for exclusive or unsupported flags;
    /// <see cref="VirtErrorCode.OperationInvalid"/> when a transient domain would end shut off;
    /// <see cref="VirtErrorCode.SnapshotRevertRisky"/> when the snapshot has no domain and FORCE is not given.</exception>
    public static SnapshotRevertPlan Plan(SnapshotDefinition snapshot, string domainName, DomainState domainState, bool persistent, SnapshotRevertFlags flags, SnapshotDriverProfile driver)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        CheckFlags(flags, driver);
        bool running = (flags & SnapshotRevertFlags.Running) != 0;
        bool paused = (flags & SnapshotRevertFlags.Paused) != 0;
        if (!persistent && !snapshot.IsOnline && !running && !paused)
        {
            throw new VirtException(VirtErrorCode.OperationInvalid, "transient domain needs to request run or pause to revert to inactive snapshot");
        }

        if ((flags & SnapshotRevertFlags.Force) == 0 && snapshot.DomainXml is null)
        {
            throw new VirtException(VirtErrorCode.SnapshotRevertRisky, $"snapshot '{snapshot.Name}' lacks domain '{domainName}' rollback info");
        }

        bool active = domainState.IsActive();
        bool endsActive = snapshot.IsOnline || running || paused;
        string? persistentXml = null;
        if (persistent && snapshot.DomainXml is not null && (snapshot.InactiveDomainXml is not null || !snapshot.IsOnline))
        {
            persistentXml = snapshot.InactiveDomainXml ?? snapshot.DomainXml;
        }

        if (!endsActive)
        {
            return new SnapshotRevertPlan
            {
                Snapshot = snapshot,
                PersistentDefinitionXml = persistentXml,
                StopFirst = active,
                TargetState = active ? DomainState.Shutoff : null,
                TargetReason = active ? (int)DomainShutoffReason.FromSnapshot : 0,
            };
        }

        // A snapshot taken while the domain was off has no memory to load into a running domain: it restarts.
        bool restart = active && !snapshot.IsOnline;
        bool endPaused = !running && (paused || snapshot.State == SnapshotState.Paused);
        return new SnapshotRevertPlan
        {
            Snapshot = snapshot,
            LiveDefinitionXml = snapshot.DomainXml,
            PersistentDefinitionXml = persistentXml,
            StopFirst = restart,
            Start = !active || restart,
            TargetState = endPaused ? DomainState.Paused : DomainState.Running,
            TargetReason = endPaused ? (int)DomainPausedReason.FromSnapshot : (int)DomainRunningReason.FromSnapshot,
        };
    }
}
