using System.Globalization;
using System.Text;

namespace Virt.Qemu.Qmp;

/// <summary>Every message text the QMP client produces, kept in one place.</summary>
internal static class QmpMessages
{
    public const string TruncatedAtEof = "QEMU closed the monitor connection in the middle of a message";
    public const string InvalidUtf8 = "QEMU sent a message that is not valid UTF-8";
    public const string NotAnObject = "QEMU sent a JSON value that is not an object";
    public const string UnknownMessage = "QEMU sent an object that is neither a greeting, an event nor a reply";
    public const string SecondGreeting = "QEMU sent a second greeting";
    public const string ReplyBeforeGreeting = "QEMU sent a reply before its greeting";
    public const string ReplyWithoutId = "QEMU sent a reply without an id (it could not parse a command)";
    public const string EndOfFile = "End of file from QEMU monitor: QEMU exited or closed the connection";
    public const string SocketPathTooLong = "the path is longer than a UNIX socket address allows (107 bytes); use a shorter state root";
    public const string SocketMissing = "the socket does not exist; is QEMU running?";
    public const string SocketRefused = "nobody listens on the socket; QEMU has exited or is still starting";
    public const string ClosedByCaller = "the QMP connection was closed";

    /// <summary>The most characters of a text from QEMU (an error description, a job's error) an exception message quotes.</summary>
    public const int MaxQemuTextInMessage = 4096;

    /// <summary>
    /// <paramref name="text"/> as a message may quote it: whole up to <see cref="MaxQemuTextInMessage"/> characters,
    /// otherwise its start and its full size in UTF-8 bytes. The whole text is in the Trace log of the reply.
    /// </summary>
    public static string Quoted(string text)
    {
        if (text.Length <= MaxQemuTextInMessage)
        {
            return text;
        }

        int keep = char.IsHighSurrogate(text[MaxQemuTextInMessage - 1]) ? MaxQemuTextInMessage - 1 : MaxQemuTextInMessage;
        return string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, keep)}... ({Encoding.UTF8.GetByteCount(text)} bytes)");
    }

    public static string LineTooLong(int max) =>
        string.Create(CultureInfo.InvariantCulture, $"QEMU sent a message longer than {max} bytes");

    public static string MalformedJson(string error) => "QEMU sent malformed JSON: " + error;

    public static string MalformedField(string what) => "QEMU sent a malformed " + what;

    public static string UnknownReplyId(string id) => "QEMU sent a reply with an unknown id " + id;

    public static string IoError(string error) => "reading from or writing to the QEMU monitor failed: " + error;

    public static string Broken(string reason) =>
        "the connection to the QEMU monitor is broken (" + reason + "); the domain must be restarted or the monitor reconnected";

    public static string CommandFailed(string command, string errorClass, string description) =>
        "QEMU command '" + command + "' failed (" + errorClass + "): " + Quoted(description);

    public static string CommandTimeout(string command, TimeSpan timeout) =>
        string.Create(CultureInfo.InvariantCulture, $"QEMU did not answer command '{command}' within {timeout.TotalSeconds:0.###} s; the VM may be hung or overloaded");

    public static string WriteTimeout(string command, TimeSpan timeout) =>
        string.Create(CultureInfo.InvariantCulture, $"QEMU did not read command '{command}' within its timeout of {timeout.TotalSeconds:0.###} s; part of it may have been sent, so the monitor stream is no longer usable");

    public static string WriteStalled(TimeSpan timeout) =>
        string.Create(CultureInfo.InvariantCulture, $"QEMU stopped reading its monitor: a command could not be written within {timeout.TotalSeconds:0.###} s");

    public static string EventBacklog(long maxBytes) =>
        string.Create(CultureInfo.InvariantCulture, $"QMP event handlers fell behind: more than {maxBytes} bytes of events waiting for them; handlers must be quick");

    public static string QueueOverflow(long maxBytes) =>
        string.Create(CultureInfo.InvariantCulture, $"more than {maxBytes} bytes of QMP events waited in a queue nobody drained; the subscription was ended");

    public static string CommandNotSent(string command) =>
        "command '" + command + "' was cancelled before it was sent to QEMU";

    public static string CommandCancelled(string command) =>
        "waiting for QEMU's answer to command '" + command + "' was cancelled";

    public static string ConnectFailed(string path, string error) =>
        "cannot connect to the QEMU monitor socket '" + path + "': " + error;

    public static string GreetingTimeout(string path, TimeSpan timeout) =>
        string.Create(CultureInfo.InvariantCulture, $"QEMU sent no QMP greeting on '{path}' within {timeout.TotalSeconds:0.###} s; QEMU may be hung, or another client holds its monitor");

    public static string UnexpectedReplyShape(string command, string error) =>
        "QEMU's reply to command '" + command + "' has an unexpected shape: " + error;

    public static string JobFailed(string jobId, string type, string error) =>
        "QEMU job '" + jobId + "' (" + type + ") failed: " + Quoted(error);

    public static string JobCancelled(string jobId, string type, string? failure = null) =>
        "QEMU job '" + jobId + "' (" + type + ") was cancelled" + QemuReported(failure);

    public static string JobTimeout(string jobId, string type, TimeSpan timeout, string? failure = null) =>
        string.Create(CultureInfo.InvariantCulture, $"QEMU job '{jobId}' ({type}) did not finish within {timeout.TotalSeconds:0.###} s and was cancelled") + QemuReported(failure);

    private static string QemuReported(string? failure) => failure is null ? string.Empty : "; QEMU reported: " + Quoted(failure);

    public static string JobIgnoredCancel(string jobId, string type, TimeSpan grace) =>
        string.Create(CultureInfo.InvariantCulture, $"QEMU job '{jobId}' ({type}) did not stop within {grace.TotalSeconds:0.###} s after job-cancel; it may still be running");

    public static string JobVanished(string jobId, string type) =>
        "QEMU job '" + jobId + "' (" + type + ") disappeared before its outcome could be read";

    public static string RawNotACommand(string error) =>
        "the monitor command must be a JSON object with an \"execute\" member: " + error;
}
