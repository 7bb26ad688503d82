using Virt.IO;

namespace Virt.Qemu.Images;

/// <summary>
/// Follows backing files from an overlay down to the base image. Relative names are combined with the
/// overlay's name as QEMU does; each backing file is read in the format the overlay records (never
/// probed); loops, missing files, protocols and unrecorded formats end with a clear error.
/// </summary>
internal static class BackingChainResolver
{
    public const int MaxDepth = 1000;

    public static IReadOnlyList<ImageInfo> Resolve(string path, string? format)
    {
        var chain = new List<ImageInfo>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        ImageInfo current = ImageReader.Read(path, format);
        while (true)
        {
            string canonical = NativeMethods.CanonicalPath(current.Filename) ?? Path.GetFullPath(current.Filename);
            if (seen.TryGetValue(canonical, out string? earlier))
            {
                throw new VirtException(VirtErrorCode.OperationInvalid,
                    $"backing chain of '{path}' loops: '{chain[^1].Filename}' names '{current.Filename}', which is already in the chain as '{earlier}'; fix it with qemu-img rebase -u");
            }

            seen.Add(canonical, current.Filename);
            chain.Add(current);
            if (current.BackingFilename is null)
            {
                return chain;
            }

            if (chain.Count >= MaxDepth)
            {
                throw new VirtException(VirtErrorCode.OperationInvalid, $"backing chain of '{path}' is deeper than {MaxDepth} images");
            }

            current = OpenBacking(current);
        }
    }

    private static ImageInfo OpenBacking(ImageInfo overlay)
    {
        string name = overlay.BackingFilename!;
        string full = overlay.FullBackingFilename!;
        if (BackingPath.HasProtocol(name) && !name.StartsWith('/'))
        {
            throw new VirtException(VirtErrorCode.ConfigUnsupported,
                $"'{overlay.Filename}' has backing file '{name}', which names a protocol or a JSON description; only local files are supported");
        }

        if (overlay.BackingFormat is null)
        {
            throw new VirtException(VirtErrorCode.ConfigUnsupported,
                $"'{overlay.Filename}' has backing file '{name}' but records no backing format; Virt does not probe backing files "
                + "(QEMU would guess the format from the file's contents, which is unsafe for raw images). "
                + $"Record the format with: qemu-img rebase -u -b '{name}' -F <qcow2|raw> '{overlay.Filename}'");
        }

        if (overlay.BackingFormat is not ("qcow2" or "raw"))
        {
            throw new VirtException(VirtErrorCode.ConfigUnsupported,
                $"'{overlay.Filename}' has backing file '{name}' in format '{overlay.BackingFormat}'; only qcow2 and raw backing files are supported");
        }

        if (BackingPath.IsMissing(full))
        {
            throw new VirtException(VirtErrorCode.OpenFailed,
                $"backing file '{name}' of '{overlay.Filename}' does not exist (looked for '{full}')");
        }

        try
        {
            return ImageReader.Read(full, overlay.BackingFormat);
        }
        catch (VirtException ex)
        {
            throw new VirtException(ex.Code, $"backing file of '{overlay.Filename}': {ex.Detail}", ex);
        }
    }
}
