using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Virt.IO;
using Virt.Qemu.Driver.State;
using Virt.Qemu.Images;

namespace Virt.Qemu.Driver;

/// <summary>
/// The version of a QEMU emulator binary, as libvirt's QEMU driver reports it for virConnectGetVersion: the binary is
/// asked (<c>--version</c>) once per process and file version (by its stamp), since it does not change while it stays
/// the same file.
/// </summary>
internal static partial class QemuEmulatorVersion
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);
    private static readonly ConcurrentDictionary<string, (FileStamp Stamp, Version Version)> Known = new(StringComparer.Ordinal);

    /// <summary>The version <paramref name="emulator"/> reports, e.g. 7.2.22 for "QEMU emulator version 7.2.22 (Debian ...)".</summary>
    /// <exception cref="VirtException">InvalidArg when there is no such binary (libvirt's wording); OperationFailed when
    /// it cannot be run, fails, or prints no version.</exception>
    public static Version Of(string emulator)
    {
        FileStamp stamp = FileStamp.TryOf(emulator)
            ?? throw new VirtException(VirtErrorCode.InvalidArg, "unable to find any emulator to serve 'x86_64' architecture");
        if (Known.TryGetValue(emulator, out var known) && known.Stamp == stamp)
        {
            return known.Version;
        }

        Version version = Parse(emulator, Ask(emulator));
        Known[emulator] = (stamp, version);
        return version;
    }

    /// <summary>The version in the first line of <c>--version</c>'s output.</summary>
    internal static Version Parse(string emulator, string output)
    {
        Match match = VersionLine().Match(output);
        if (!match.Success)
        {
            string firstLine = output.Split('\n', 2)[0].Trim();
            throw new VirtException(VirtErrorCode.OperationFailed, $"cannot parse {emulator} version number in '{firstLine}'");
        }

        return new Version(int.Parse(match.Groups[1].ValueSpan), int.Parse(match.Groups[2].ValueSpan), int.Parse(match.Groups[3].ValueSpan));
    }

    private static string Ask(string emulator)
    {
        var result = new ProcessQemuImgRunner(emulator, Path.GetFileName(emulator), installHint: null).Run(["--version"], AskTimeout, CancellationToken.None);
        if (result.ExitCode != 0)
        {
            throw new VirtException(VirtErrorCode.OperationFailed,
                $"{emulator} --version failed with exit status {result.ExitCode}: {result.StandardError.Trim()}");
        }

        return result.StandardOutput;
    }

    [GeneratedRegex(@"^QEMU emulator version (\d+)\.(\d+)\.(\d+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex VersionLine();
}
