using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Virt.Qemu.Qmp;

internal sealed partial class QmpConnection
{
    /// <summary>
    /// As <see cref="Execute"/>, with <paramref name="fd"/> passed to QEMU as <c>SCM_RIGHTS</c> ancillary data in the
    /// same <c>sendmsg</c> as the command's first bytes (under the write gate, so no other command's bytes come
    /// between). QEMU holds its own descriptor for the same open file; the caller still owns <paramref name="fd"/>.
    /// </summary>
    /// <exception cref="QmpCommandException">QEMU answered with an error.</exception>
    /// <exception cref="QmpConnectionException">The connection is or became broken.</exception>
    /// <exception cref="VirtException">No reply in time, or cancelled.</exception>
    public JsonDocument ExecuteWithFd(string command, object? arguments, JsonTypeInfo? argumentsType, SafeHandle fd, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        ArgumentNullException.ThrowIfNull(fd);
        ObjectDisposedException.ThrowIf(fd.IsClosed || fd.IsInvalid, fd);
        long id = Interlocked.Increment(ref _nextId);
        var bytes = QmpCommandWriter.Write(command, id, arguments, argumentsType);
        var reply = SendAndWait(command, id, bytes, timeout ?? QmpTimeouts.ForCommand(command), cancellationToken, negotiating: false, fd);
        ThrowIfError(command, reply);
        return reply;
    }
}
