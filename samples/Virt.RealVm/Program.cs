using System.Diagnostics;
using System.Security;
using Virt;
using Virt.Qemu.Driver;
using Virt.Qemu.Images;

// A real VM, no daemon: the QEMU driver runs the tiny test guest (scripts/build-test-guest.sh) under TCG,
// shows what it prints on its serial console, pauses and resumes it, and shuts it down through ACPI.
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

    dom.Suspend();
    Console.WriteLine($"suspended: {dom.GetState().State}");
    Thread.Sleep(1000);
    dom.Resume();
    Console.WriteLine($"resumed: {dom.GetState().State}");
    serial.WaitFor("VIRT-GUEST COUNTER 5", TimeSpan.FromSeconds(30));

    dom.ShutdownAndWait(TimeSpan.FromSeconds(60));
    var state = dom.GetState();
    Console.WriteLine($"after ACPI shutdown: {state.State} ({(DomainShutoffReason)state.Reason})");
    serial.WaitFor("VIRT-GUEST POWEROFF", TimeSpan.FromSeconds(5));
    dom.Undefine();
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
internal sealed class SerialLog(string path)
{
    private long _offset;
    private string _pending = "";

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
        }

        return lines;
    }
}
