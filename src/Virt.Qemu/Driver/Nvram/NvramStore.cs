using Virt.Conf;
using Virt.IO;
using Virt.Qemu.Images;

namespace Virt.Qemu.Driver.Nvram;

/// <summary>
/// A UEFI domain's own variable store: its path is fixed at define time (in the domain's folder unless the
/// definition names one), and the file is created from the template on the first start, in the format the
/// definition asks for, published atomically and private (0600).
/// </summary>
internal static class NvramStore
{
    /// <summary>Whether the definition boots UEFI from a read-only pflash image with a separate variable store.</summary>
    public static bool HasNvram(DomainDefinition def) => def.Os.Loader is { Type: "pflash", ReadOnly: true };

    /// <summary>At define: gives a UEFI domain an <c>&lt;nvram&gt;</c> with a path when it has none, as libvirt does.</summary>
    public static void AssignPath(DomainDefinition def, Func<string, string> defaultPath)
    {
        if (!HasNvram(def))
        {
            return;
        }

        def.Os.Nvram ??= new DomainNvram();
        def.Os.Nvram.Path ??= defaultPath(def.Os.Nvram.Format ?? "raw");
    }

    /// <summary>Templates larger than this are converted by qemu-img instead of being read into memory (OVMF's are
    /// 128 KiB to 4 MiB).</summary>
    private const int MaxNativeTemplateBytes = 64 * 1024 * 1024;

    /// <summary>Before start: creates the variable store from its template when it does not exist yet: natively from a
    /// raw template (a copy, or a qcow2 image written by <see cref="QemuImage.CreateWithContent"/>), with
    /// <c>qemu-img convert</c> from a template in another format; published atomically, 0600.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationFailed"/> when no template is known;
    /// as <see cref="QemuImage.Convert"/> or <see cref="QemuImage.Create"/> when the copy fails.</exception>
    public static void EnsureCreated(DomainDefinition def)
    {
        if (!HasNvram(def) || def.Os.Nvram?.Path is not { } path || File.Exists(path))
        {
            return;
        }

        string loader = def.Os.Loader!.Path!;
        string template = def.Os.Nvram.Template ?? FirmwareDescriptors.TemplateFor(loader)
            ?? throw new VirtException(VirtErrorCode.OperationFailed, $"unable to find any master var store for loader: {loader}");
        string format = def.Os.Nvram.Format ?? "raw";
        PrivateDirectory.Create(Path.GetDirectoryName(path)!);
        if (ReadRawTemplate(template) is not { } content)
        {
            Convert(template, path, format);
        }
        else if (format == "qcow2")
        {
            QemuImage.CreateWithContent(path, content);
        }
        else
        {
            AtomicImageFile.Create(path, overwrite: false, AtomicFile.PrivateFile, s => s.Write(content));
        }
    }

    /// <summary>The template's bytes when it is a raw image small enough to copy natively; otherwise null.</summary>
    private static byte[]? ReadRawTemplate(string template)
    {
        if (Virt.IO.NativeMethods.StatusOf(template).Kind != Virt.IO.HostFileKind.Regular)
        {
            return null;
        }

        try
        {
            using var stream = new FileStream(template, FileMode.Open, FileAccess.Read);
            if (!stream.CanSeek || stream.Length > MaxNativeTemplateBytes)
            {
                return null;
            }

            byte[] content = new byte[stream.Length];
            stream.ReadExactly(content);
            return ImageFormatProbe.Probe(content) == "raw" ? content : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VirtException(VirtErrorCode.OperationFailed, $"cannot read the NVRAM template '{template}': {e.Message}", e);
        }
    }

    private static void Convert(string template, string path, string format)
    {
        string folder = Path.GetDirectoryName(path)!;
        string temp = AtomicFile.TempNameFor(path);
        try
        {
            QemuImage.Convert(template, temp, format);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, AtomicFile.PrivateFile);
            }

            using (var written = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite))
            {
                written.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: false);
            DirectorySync.Flush(folder);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
