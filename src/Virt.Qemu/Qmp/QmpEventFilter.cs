namespace Virt.Qemu.Qmp;

/// <summary>Which events a subscriber wants: by name and, for job events, by job id.</summary>
internal sealed class QmpEventFilter
{
    private readonly HashSet<string>? _names;

    /// <param name="names">Event names to accept; <c>null</c> accepts every name.</param>
    /// <param name="jobId">When set, accept only events whose <c>data.id</c> (or <c>data.device</c>, as block jobs name it) equals it.</param>
    public QmpEventFilter(IEnumerable<string>? names = null, string? jobId = null)
    {
        _names = names is null ? null : new HashSet<string>(names, StringComparer.Ordinal);
        JobId = jobId;
    }

    /// <summary>Accepts everything.</summary>
    public static QmpEventFilter All { get; } = new();

    public string? JobId { get; }

    public bool Matches(QmpEvent e)
    {
        if (_names is not null && !_names.Contains(e.Name))
        {
            return false;
        }

        return JobId is null || string.Equals(e.GetDataString("id") ?? e.GetDataString("device"), JobId, StringComparison.Ordinal);
    }
}
