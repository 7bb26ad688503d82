using Virt.Qemu.Driver.State;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Driver.Monitor;

/// <summary>A domain job of this process, as <see cref="MonitorEvents"/> sees it: while it runs, QEMU's events on the
/// domain are its own doing (when it was begun as such); when it ends, the events its commands caused are handled
/// before the domain is free for the next job.</summary>
internal sealed class MonitoredJob : IDisposable
{
    private readonly DomainJob _job;
    private readonly string _statusFile;

    /// <param name="job">The job taken.</param>
    /// <param name="statusFile">The domain's status file.</param>
    /// <param name="owner">The connection whose job it is, when its events are its own; null for a job that changes the
    /// domain only through commands it passes on (or not at all).</param>
    public MonitoredJob(DomainJob job, string statusFile, object? owner)
    {
        _job = job;
        _statusFile = statusFile;
        if (owner is not null)
        {
            MonitorEvents.BeginJob(statusFile, owner);
        }
    }

    /// <summary>Ends the job.</summary>
    public void Dispose()
    {
        try
        {
            MonitorEvents.EndJob(_statusFile);
            OperationTrace.Mark("job-end-events");
        }
        finally
        {
            _job.Dispose();
            OperationTrace.Mark("job-unlock");
        }
    }
}
