namespace Virt.IO;

/// <summary>
/// Creates folders only their owner can enter (0700) all the way down, whatever the umask: each missing component
/// is created and then chmod-ed explicitly (mkdir's mode is masked by the umask; <c>Directory.CreateDirectory</c>
/// would create the missing parents with the default mode), and its parent is fsynced so the new entry survives a
/// crash. Components that already exist are left as they are.
/// </summary>
internal static class PrivateDirectory
{
    /// <summary>rwx------.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> and its missing parents, each 0700.</summary>
    /// <param name="path">The folder.</param>
    /// <param name="steps">Where parents are fsynced (<see cref="FileSteps.Host"/> by default).</param>
    /// <exception cref="IOException">A component cannot be created, or exists and is not a folder.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static void Create(string path, FileSteps? steps = null)
    {
        steps ??= FileSteps.Host;
        string full = Path.GetFullPath(path);
        var missing = new Stack<string>();
        for (string? current = full; current is not null && !Directory.Exists(current); current = Path.GetDirectoryName(current))
        {
            missing.Push(current);
        }

        while (missing.TryPop(out string? component))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(component);
                continue;
            }

            Directory.CreateDirectory(component, Mode);
            File.SetUnixFileMode(component, Mode);
            if (Path.GetDirectoryName(component) is { } parent)
            {
                steps.FsyncDirectory(parent);
            }
        }
    }
}
