using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Virt.Qemu.Tests.Snapshots;

/// <summary>Guest RAM fingerprints: QMP <c>pmemsave</c> of the whole RAM while the VM is paused, hashed.</summary>
internal static class SnapshotProbeMemory
{
    /// <summary>The SHA-256 (hex) of the first <paramref name="ramBytes"/> bytes of guest-physical memory. The VM must be paused
    /// (a running guest changes its RAM while QEMU writes the file); the dump file is written to <paramref name="folder"/> and removed.</summary>
    public static string Fingerprint(SnapshotProbeMonitor monitor, long ramBytes, string folder)
    {
        string status = monitor.Status();
        if (status is "running")
        {
            throw new InvalidOperationException("pmemsave of a running guest is no fingerprint: pause it first");
        }

        string file = Path.Combine(folder, "pmemsave-" + Guid.NewGuid().ToString("N") + ".bin");
        try
        {
            monitor.Execute("pmemsave", new JsonObject { ["val"] = 0, ["size"] = ramBytes, ["filename"] = file });
            long written = new FileInfo(file).Length;
            if (written != ramBytes)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"pmemsave wrote {written} bytes, not {ramBytes}"));
            }

            using var stream = File.OpenRead(file);
            return Convert.ToHexString(SHA256.HashData(stream));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Lets a paused domain's guest run in short steps until its RAM fingerprint differs from <paramref name="from"/>,
    /// and returns the new one (the domain is paused again). Fails the test when the guest never changes its RAM.</summary>
    public static string RunUntilChanged(IVirtDomain domain, string from, long ramBytes, string folder)
    {
        var monitor = SnapshotProbeMonitor.Of(domain);
        for (int i = 0; i < 50; i++)
        {
            domain.Resume();
            Thread.Sleep(200);
            domain.Suspend();
            string now = Fingerprint(monitor, ramBytes, folder);
            if (now != from)
            {
                return now;
            }
        }

        throw new InvalidOperationException("the guest did not change its RAM in 50 runs");
    }
}
