using Virt.Drivers;

namespace Virt.Testing;

/// <summary>
/// The in-memory test driver, like libvirt's <c>test:///default</c>: no hypervisor, no files. Every
/// connection a process opens to <see cref="DefaultUri"/> shares one host, which starts with one
/// running domain called <c>test</c> and is discarded when the last connection closes (as libvirt
/// does). Register it once, then open connections:
/// <code>TestDriver.Register(); using var conn = VirtConnection.Open(TestDriver.DefaultUri);</code>
/// </summary>
public static class TestDriver
{
    /// <summary>The URI of the shared default host.</summary>
    public const string DefaultUri = "test:///default";

    /// <summary>Registers the test driver for the <c>test</c> scheme.</summary>
    /// <param name="registry">The registry; null for <see cref="VirtDriverRegistry.Default"/>.</param>
    public static void Register(VirtDriverRegistry? registry = null) =>
        (registry ?? VirtDriverRegistry.Default).Register(new TestDriverFactory());
}
