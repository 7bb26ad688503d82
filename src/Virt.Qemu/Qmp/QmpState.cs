namespace Virt.Qemu.Qmp;

/// <summary>Where a QMP connection is in its life.</summary>
internal enum QmpState
{
    /// <summary>Created, not yet connected.</summary>
    Idle,
    /// <summary>Socket open, waiting for the greeting or negotiating capabilities.</summary>
    Connecting,
    /// <summary>Negotiated: commands may be sent.</summary>
    Running,
    /// <summary>Failed for good; every call fails with the kept reason.</summary>
    Broken,
    /// <summary>Closed by its owner.</summary>
    Closed,
}
