using Microsoft.Extensions.Logging;

namespace Virt.Testing;

/// <summary>The test driver's log events (category <c>Virt.Testing</c>, event ids <see cref="VirtLogEvents.Testing"/>).</summary>
internal static class TestDriverLog
{
    public const string Category = "Virt.Testing";

    private static readonly Action<ILogger, string, DomainState, DomainState, int, Exception?> StateChangedMessage =
        LoggerMessage.Define<string, DomainState, DomainState, int>(LogLevel.Information,
            new EventId(VirtLogEvents.Testing.DomainStateChanged, "DomainStateChanged"), "domain '{Domain}': {From} -> {To} (reason {Reason})");

    private static readonly Action<ILogger, string, string, Exception?> DefinedMessage =
        LoggerMessage.Define<string, string>(LogLevel.Information,
            new EventId(VirtLogEvents.Testing.DomainDefined, "DomainDefined"), "domain '{Domain}' {How}");

    private static readonly Action<ILogger, string, string, Exception?> UndefinedMessage =
        LoggerMessage.Define<string, string>(LogLevel.Information,
            new EventId(VirtLogEvents.Testing.DomainUndefined, "DomainUndefined"), "domain '{Domain}' undefined{Rest}");

    public static void StateChanged(ILogger logger, string domain, DomainState from, DomainState to, int reason) =>
        StateChangedMessage(logger, domain, from, to, reason, null);

    public static void DomainDefined(ILogger logger, string domain, bool replaced) =>
        DefinedMessage(logger, domain, replaced ? "definition replaced" : "defined", null);

    public static void DomainUndefined(ILogger logger, string domain, bool stillRunning) =>
        UndefinedMessage(logger, domain, stillRunning ? "; it keeps running as a transient domain" : string.Empty, null);
}
