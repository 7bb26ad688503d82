using Virt.IO;

namespace Virt.Qemu.Images;

/// <summary>How QEMU turns a recorded backing file name into the name it opens.</summary>
internal static class BackingPath
{
    /// <summary>True when QEMU would read <paramref name="name"/> as "protocol:rest" (a colon before any slash) or JSON.</summary>
    public static bool HasProtocol(string name)
    {
        int stop = name.AsSpan().IndexOfAny(':', '/');
        return stop >= 0 && name[stop] == ':';
    }

    /// <summary>
    /// QEMU's path_combine: an absolute name is used as is; a relative one is appended to the overlay's
    /// name up to and including its last '/', without any normalisation.
    /// </summary>
    public static string Combine(string overlayFilename, string backingName)
    {
        if (backingName.StartsWith('/'))
        {
            return backingName;
        }

        int slash = overlayFilename.LastIndexOf('/');
        return slash < 0 ? backingName : string.Concat(overlayFilename.AsSpan(0, slash + 1), backingName);
    }

    /// <summary>
    /// True only when nothing exists under <paramref name="fullName"/> (ENOENT, ENOTDIR). A directory, a
    /// file that cannot be read or a name in a directory that cannot be searched exist: opening them
    /// reports what they are, as qemu-img does.
    /// </summary>
    public static bool IsMissing(string fullName) => NativeMethods.CanTellFileKind
        ? NativeMethods.StatusOf(fullName).Kind == HostFileKind.Missing
        : !Path.Exists(fullName);
}
