using System.Net.Sockets;

namespace Virt.Qemu.Qmp;

internal sealed partial class QmpConnection
{
    /// <summary>Events kept from before negotiation; a peer flooding more is not given more memory.</summary>
    private const int MaxEarlyEvents = 1024;

    /// <summary>Longest event name kept for an early event past the byte budget (QEMU's are under 40).</summary>
    private const int MaxEarlyEventNameLength = 256;

    private long _earlyEventBytes;

    /// <summary>Keeps an event from before negotiation: whole within the byte budget, name and time only past it.</summary>
    private void KeepIfEarly(QmpEvent e)
    {
        bool trimmed = false;
        lock (_gate)
        {
            if (_state != QmpState.Connecting || _earlyEvents.Count >= MaxEarlyEvents)
            {
                return;
            }

            if (_earlyEventBytes + e.SizeBytes <= _options.MaxEarlyEventBytes)
            {
                _earlyEventBytes += e.SizeBytes;
                _earlyEvents.Add(e);
                return;
            }

            if (e.Name.Length <= MaxEarlyEventNameLength)
            {
                _earlyEvents.Add(e.WithoutData());
                trimmed = true;
            }
        }

        QmpLog.EarlyEventTrimmed(_logger, e.Name.Length > 64 ? e.Name[..64] + "..." : e.Name, e.SizeBytes, trimmed);
    }

    private static bool IsPeerGone(Exception e) =>
        (e as SocketException ?? e.InnerException as SocketException)?.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted;

    private void Handle(QmpInbound message, int sizeBytes)
    {
        switch (message.Kind)
        {
            case QmpInboundKind.Greeting:
                using (message.Document)
                {
                    if (_greeting is not null)
                    {
                        throw new QmpProtocolException(QmpMessages.SecondGreeting);
                    }

                    _greeting = QmpGreeting.FromDocument(message.Document);
                }

                _greetingSeen.Set();
                break;

            case QmpInboundKind.Event:
                QmpEvent e;
                using (message.Document)
                {
                    e = QmpEvent.FromDocument(message.Document, sizeBytes);
                }

                KeepIfEarly(e);

                Dispatch(e);
                break;

            default:
                if (_greeting is null)
                {
                    message.Document.Dispose();
                    throw new QmpProtocolException(QmpMessages.ReplyBeforeGreeting);
                }

                if (!DeliverReply(message.Id, message.Document))
                {
                    string id = message.Document.RootElement.GetProperty("id"u8).GetRawText();
                    message.Document.Dispose();
                    throw new QmpProtocolException(QmpMessages.UnknownReplyId(id.Length > 64 ? id[..64] + "..." : id));
                }

                break;
        }
    }
}
