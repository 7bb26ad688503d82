using Moq;
using Virt.Drivers;

namespace Virt.Core.Tests.Events;

/// <summary>A driver whose test raises lifecycle events by hand, through the SPI's publish hook.</summary>
internal sealed class EventingDriver : VirtDriver
{
    public static readonly DomainIdentity Web = new("web", Guid.Parse("6695eb01-f6a4-8304-79aa-97f2502e193f"));

    public override string HypervisorType => "Eventing";

    public override bool SupportsDomainEvents => true;

    public override string GetHostname() => "eventing-host";

    /// <summary>How many times the façade asked the driver to start its events.</summary>
    public int Starts { get; private set; }

    /// <summary>When set, the next start fails with it.</summary>
    public VirtException? StartFailure { get; set; }

    protected internal override void StartDomainEvents()
    {
        Starts++;
        if (StartFailure is { } failure)
        {
            StartFailure = null;
            throw failure;
        }
    }

    public void Raise(DomainEventType type, int detail = 0) => PublishDomainEvent(new DomainLifecycleEvent(Web, type, detail));

    public void Raise(DomainLifecycleEvent lifecycleEvent) => PublishDomainEvent(lifecycleEvent);

    /// <summary>Opens a connection on <paramref name="driver"/> through a registry of its own.</summary>
    public static VirtConnection Open(VirtDriver driver, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        var factory = new Mock<VirtDriverFactory>();
        factory.SetupGet(f => f.Scheme).Returns("ev");
        factory.Setup(f => f.Open(It.IsAny<VirtUri>(), It.IsAny<VirtConnectionOptions>())).Returns(driver);
        var registry = new VirtDriverRegistry();
        registry.Register(factory.Object);
        return VirtConnection.Open("ev:///", new VirtConnectionOptions
        {
            Registry = registry,
            LoggerFactory = loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
        });
    }
}
