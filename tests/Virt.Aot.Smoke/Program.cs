namespace Virt.Aot.Smoke;

/// <summary>
/// Calls each package once through its public API and prints one line per package; exits 1 at the first failure.
/// Arguments: a scratch folder, then optionally a remote URI served by a libvirtd.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length is < 1 or > 2)
        {
            Console.Error.WriteLine("usage: Virt.Aot.Smoke SCRATCH_DIR [REMOTE_URI]");
            return 2;
        }

        string scratch = args[0];
        var steps = new List<(string Name, Func<string> Run)>
        {
            ("core", CoreSmoke.Run),
            ("snapshot", SnapshotSmoke.Run),
            ("image", () => ImageSmoke.Run(scratch)),
            ("qmp", () => QmpSmoke.Run(scratch)),
        };
        if (args.Length == 2)
        {
            steps.Add(("remote", () => RemoteSmoke.Run(args[1])));
        }

        foreach (var (name, run) in steps)
        {
            try
            {
                Console.WriteLine($"{name}: {run()}");
            }
            catch (Exception ex)
            {
                Console.WriteLine($"{name}: FAILED {ex}");
                return 1;
            }
        }

        return 0;
    }
}
