namespace Virt.Qemu.Images;

/// <summary>
/// The image's first cluster (header, extensions, backing file name), read on demand: most images need
/// only their first few hundred bytes, clusters can be 2 MiB, and the file may end before the cluster does.
/// </summary>
internal sealed class Qcow2HeaderArea
{
    private const int InitialRead = 4096;
    private readonly ImageFileReader _file;
    private byte[] _data;

    public Qcow2HeaderArea(ImageFileReader file, int clusterSize)
    {
        _file = file;
        Limit = Math.Min(clusterSize, file.Length);
        _data = file.Read(0, Math.Min(Limit, InitialRead), "first cluster");
    }

    /// <summary>Bytes of the first cluster that exist in the file.</summary>
    public long Limit { get; }

    /// <summary>Bytes at <paramref name="offset"/>; the caller has checked that offset + length ≤ <see cref="Limit"/>.</summary>
    public ReadOnlySpan<byte> Get(long offset, int length)
    {
        long end = offset + length;
        if (end > _data.Length)
        {
            long size = Math.Min(Limit, Math.Max(end, (long)_data.Length * 2));
            _data = _file.Read(0, size, "first cluster");
        }

        return _data.AsSpan((int)offset, length);
    }
}
