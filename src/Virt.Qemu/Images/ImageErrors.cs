using System.Globalization;

namespace Virt.Qemu.Images;

/// <summary>Every error the image code raises, built in one place so the wording stays consistent.</summary>
internal static class ImageErrors
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static VirtException Invalid(string path, string what) =>
        new(VirtErrorCode.ReadFailed, $"'{path}' is not a valid qcow2 image: {what}");

    public static VirtException Truncated(string path, string what, long offset, long length, long fileLength) =>
        Invalid(path, string.Create(Inv, $"{what} at offset {offset} ({length} bytes) lies past the end of the file ({fileLength} bytes); the image is truncated or damaged"));

    public static VirtException Unsupported(string path, string what) =>
        new(VirtErrorCode.ConfigUnsupported, $"'{path}': {what}");

    public static VirtException OpenFailed(string path, Exception inner) =>
        new(VirtErrorCode.OpenFailed, $"'{path}': {inner.Message}", inner);

    public static VirtException NotFound(string path) =>
        new(VirtErrorCode.OpenFailed, $"'{path}' does not exist");

    public static VirtException NotARegularFile(string path, string kind) =>
        new(VirtErrorCode.OpenFailed, $"'{path}' is {kind}, not a regular file or block device; give the path of a qcow2 or raw image");

    public static VirtException ReadFailed(string path, Exception inner) =>
        new(VirtErrorCode.ReadFailed, $"'{path}': {inner.Message}", inner);

    public static VirtException WriteFailed(string path, Exception inner) =>
        new(VirtErrorCode.WriteFailed, $"'{path}': {inner.Message}", inner);

    public static VirtException InvalidArg(string detail) => new(VirtErrorCode.InvalidArg, detail);
}
