using System.Diagnostics;
using System.Security;
using Virt;
using Virt.Qemu.Driver;
using Virt.Qemu.Images;

// A real VM, no daemon: the QEMU driver runs the tiny test guest (scripts/build-test-guest.sh) under TCG and shows
// what it prints on its serial console (a counter); takes an internal snapshot while the guest counts, lets it count
// on, reverts it in place (same QEMU, no restart) and shows the counter going back; then shuts it down through ACPI.
// Usage: Virt.RealVm GUEST_DIR [ROOT]   (ROOT defaults to a temporary folder, removed at the end)
if (args.Length < 1 || !File.Exists(Path.Combine(args[0], "vmlinuz")))
{
    Console.Error.WriteLine("usage: Virt.RealVm GUEST_DIR [ROOT]  (GUEST_DIR from scripts/build-test-guest.sh)");
    return 2;
}

string guest = Path.GetFullPath(args[0]);
bool ownRoot = args.Length < 2;
string root = ownRoot ? Directory.CreateTempSubdirectory("virt-realvm-").FullName : Path.GetFullPath(args[1]);
QemuDriver.Register();
try
{
    using var conn = VirtConnection.Open("qemu:///embed?root=" + root);
    Console.WriteLine($"connected to {conn.Uri} ({conn.HypervisorType})");

    string disk = Path.Combine(root, "tiny.qcow2");
    QemuImage.Create(disk, 16 << 20);
    var dom = conn.DefineDomain($"""
        <domain type='qemu'>
          <name>tiny</name>
          <memory unit='MiB'>128</memory>
          <os>
            <type arch='x86_64' machine='q35'>hvm</type>
            <kernel>{SecurityElement.Escape(Path.Combine(guest, "vmlinuz"))}</kernel>
            <initrd>{SecurityElement.Escape(Path.Combine(guest, "initramfs.cpio.gz"))}</initrd>
            <cmdline>console=ttyS0 quiet virt.interval=500 virt.marker=/dev/vda:0:hello-from-virt</cmdline>
          </os>
          <devices>
            <disk type='file' device='disk'>
              <driver name='qemu' type='qcow2'/>
              <source file='{SecurityElement.Escape(disk)}'/>
              <target dev='vda' bus='virtio'/>
            </disk>
            <serial type='pty'/>
          </devices>
        </domain>
        """);
    var watch = Stopwatch.StartNew();
    dom.Start();
    Console.WriteLine($"started '{dom.Name}' (id {dom.Id}) in {watch.ElapsedMilliseconds} ms: {dom.GetState().State}");

    string console = Path.Combine(root, "log", "tiny", "serial0.log");
    var serial = new SerialLog(console);
    serial.WaitFor("VIRT-GUEST READY", TimeSpan.FromMinutes(2));
    Console.WriteLine($"guest ready after {watch.Elapsed.TotalSeconds:0.0} s");
    serial.WaitFor("VIRT-GUEST COUNTER 3", TimeSpan.FromSeconds(30));

    watch.Restart();
    var snapshot = dom.CreateSnapshot("<domainsnapshot><name>counting</name></domainsnapshot>");
    int atSnapshot = serial.Poll();
    Console.WriteLine($"snapshot '{snapshot.Name}' taken in {watch.ElapsedMilliseconds} ms while the guest counted ({atSnapshot} on the console), still {dom.GetState().State}");
    serial.WaitFor($"VIRT-GUEST COUNTER {atSnapshot + 6}", TimeSpan.FromSeconds(30));

    // Paused, the guest prints nothing more: every line from before the revert is read before it.
    dom.Suspend();
    int before = serial.Poll();
    int? id = dom.Id;
    watch.Restart();
    snapshot.Revert();
    string how = dom.Id == id ? $"in place (the same QEMU, id {id})" : $"with a new QEMU (id {dom.Id})";
    Console.WriteLine($"reverted to '{snapshot.Name}' {how} in {watch.ElapsedMilliseconds} ms: {dom.GetState().State}, current snapshot '{dom.GetCurrentSnapshot().Name}'");
    int next = serial.NextCounter(TimeSpan.FromSeconds(30));
    Console.WriteLine($"the counter went back: {before} before the revert, {next} after it (the snapshot was taken at {atSnapshot})");
    serial.WaitFor($"VIRT-GUEST COUNTER {next + 2}", TimeSpan.FromSeconds(30));

    dom.ShutdownAndWait(TimeSpan.FromSeconds(60));
    var state = dom.GetState();
    Console.WriteLine($"after ACPI shutdown: {state.State} ({(DomainShutoffReason)state.Reason})");
    serial.WaitFor("VIRT-GUEST POWEROFF", TimeSpan.FromSeconds(5));
    dom.Undefine(DomainUndefineFlags.SnapshotsMetadata);
    return 0;
}
finally
{
    if (ownRoot)
    {
        Directory.Delete(root, recursive: true);
    }
}

/// <summary>Follows the guest's serial console log (written by QEMU under the root) and echoes it.</summary>
internal sealed partial class SerialLog(string path)
{
    private long _offset;
    private string _pending = "";

    /// <summary>The last counter the guest printed (read so far).</summary>
    public int LastCounter { get; private set; }

    public void WaitFor(string line, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (ReadNewLines().Any(l => l.Contains(line, StringComparison.Ordinal)))
            {
                return;
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException($"the guest did not print '{line}' within {timeout.TotalSeconds} s");
    }

    /// <summary>Reads (and echoes) what the guest printed since the last read; returns <see cref="LastCounter"/>.</summary>
    public int Poll()
    {
        ReadNewLines();
        return LastCounter;
    }

    /// <summary>Waits for the next counter line the guest prints and returns its value.</summary>
    public int NextCounter(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (ReadNewLines().Select(l => Counter().Match(l)).FirstOrDefault(m => m.Success) is { } match)
            {
                return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException($"the guest printed no counter within {timeout.TotalSeconds} s");
    }

    private List<string> ReadNewLines()
    {
        var lines = new List<string>();
        if (!File.Exists(path))
        {
            return lines;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(_offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        string text = _pending + reader.ReadToEnd();
        _offset = stream.Position;
        string[] parts = text.Split('\n');
        _pending = parts[^1];
        foreach (string part in parts[..^1])
        {
            string clean = part.TrimEnd('\r');
            Console.WriteLine("  console| " + clean);
            lines.Add(clean);
            if (Counter().Match(clean) is { Success: true } counter)
            {
                LastCounter = int.Parse(counter.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return lines;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^VIRT-GUEST COUNTER (\d+)$")]
    private static partial System.Text.RegularExpressions.Regex Counter();
}
