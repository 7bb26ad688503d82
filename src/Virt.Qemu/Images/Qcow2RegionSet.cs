using System.Globalization;

namespace Virt.Qemu.Images;

/// <summary>Collects the metadata areas of an image and rejects any that leave the file or overlap another.</summary>
internal sealed class Qcow2RegionSet
{
    private readonly string _path;
    private readonly long _fileLength;
    private readonly List<(string Name, long Start, long End)> _regions = [];

    public Qcow2RegionSet(string path, long fileLength)
    {
        _path = path;
        _fileLength = fileLength;
    }

    public void Add(string name, long offset, long length, bool mustBeInFile = true)
    {
        if (length <= 0)
        {
            return;
        }

        if (offset < 0 || offset > long.MaxValue - length)
        {
            throw ImageErrors.Invalid(_path, string.Create(CultureInfo.InvariantCulture, $"{name} at offset {offset} ({length} bytes) is out of range"));
        }

        if (mustBeInFile && offset + length > _fileLength)
        {
            throw ImageErrors.Truncated(_path, name, offset, length, _fileLength);
        }

        long end = offset + length;
        foreach (var (other, start, otherEnd) in _regions)
        {
            if (offset < otherEnd && start < end)
            {
                throw ImageErrors.Invalid(_path, string.Create(CultureInfo.InvariantCulture, $"{name} at offset {offset} overlaps the {other} at offset {start}"));
            }
        }

        _regions.Add((name, offset, end));
    }
}
