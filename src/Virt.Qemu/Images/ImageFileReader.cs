using System.Buffers.Binary;

namespace Virt.Qemu.Images;

/// <summary>
/// Bounded random access to an image's bytes: every read is checked against the file's length and a
/// caller-given cap before anything is allocated, so hostile offsets and sizes fail cleanly.
/// </summary>
internal sealed class ImageFileReader
{
    private readonly Stream _stream;

    public ImageFileReader(Stream stream, string path, long length)
    {
        _stream = stream;
        Path = path;
        Length = length;
    }

    public string Path { get; }

    public long Length { get; }

    /// <summary>Reads exactly <paramref name="count"/> bytes at <paramref name="offset"/>, or throws a clear error.</summary>
    public byte[] Read(long offset, long count, string what)
    {
        if (offset < 0 || count < 0 || offset > Length || count > Length - offset)
        {
            throw ImageErrors.Truncated(Path, what, offset, count, Length);
        }

        byte[] buffer = new byte[count];
        try
        {
            _stream.Position = offset;
            _stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException ex)
        {
            throw ImageErrors.ReadFailed(Path, ex);
        }
        catch (IOException ex)
        {
            throw ImageErrors.ReadFailed(Path, ex);
        }

        return buffer;
    }

    /// <summary>Reads up to <paramref name="count"/> bytes at offset 0 (fewer if the file is shorter).</summary>
    public byte[] ReadPrefix(int count)
    {
        int n = (int)Math.Min(count, Length);
        return Read(0, n, "header");
    }

    public static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32BigEndian(b[at..]);

    public static ulong U64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt64BigEndian(b[at..]);

    public static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16BigEndian(b[at..]);
}
