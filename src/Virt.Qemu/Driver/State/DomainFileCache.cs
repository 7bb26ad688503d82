using System.Collections.Concurrent;
using System.Text.Json;
using Virt.Conf;
using Virt.IO;

namespace Virt.Qemu.Driver.State;

/// <summary>
/// Per process, what listing needs from each domain's files, kept by file stamp (<see cref="FileStamp"/>) so that a
/// second open or list in the same process reads only what changed: of a definition its name and UUID (read by
/// <see cref="DomainHeaderReader"/>, never the parsed definition, which callers change: a full view parses its own), and the runtime status (an immutable
/// record, shared as it is). A file is kept only once it has settled (<see cref="FileStamp.IsSettled"/>), so a
/// rewrite by any process within one tick of the file system's clock is never taken for the version kept.
/// </summary>
internal static class DomainFileCache
{
    private static readonly ConcurrentDictionary<string, (FileStamp Stamp, DomainHeader Header)> Headers = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, (FileStamp Stamp, DomainStatus Status)> Statuses = new(StringComparer.Ordinal);

    /// <summary>The name and UUID that the definition in <paramref name="path"/> holds, or null when there is none.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.XmlError"/> when the file does not parse.</exception>
    public static DomainHeader? ReadHeader(string path)
    {
        var before = DateTimeOffset.UtcNow;
        if (FileStamp.TryOf(path) is not { } stamp)
        {
            Headers.TryRemove(path, out _);
            return null;
        }

        if (Headers.TryGetValue(path, out var kept) && kept.Stamp == stamp)
        {
            return kept.Header;
        }

        string xml;
        try
        {
            xml = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        var header = DomainHeaderReader.Read(xml);
        Keep(Headers, path, stamp, before, header);
        return header;
    }

    /// <summary>The runtime status in <paramref name="path"/>, or null when there is none or it cannot be read.</summary>
    public static DomainStatus? ReadStatus(string path)
    {
        var before = DateTimeOffset.UtcNow;
        if (FileStamp.TryOf(path) is not { } stamp)
        {
            Statuses.TryRemove(path, out _);
            return null;
        }

        if (Statuses.TryGetValue(path, out var kept) && kept.Stamp == stamp)
        {
            return kept.Status;
        }

        var status = DomainFiles.ReadStatusFile(path);
        if (status is not null)
        {
            Keep(Statuses, path, stamp, before, status);
        }

        return status;
    }

    private static void Keep<T>(ConcurrentDictionary<string, (FileStamp, T)> cache, string path, FileStamp stamp, DateTimeOffset stampTaken, T value)
    {
        // The stamp was taken before the read: if the file changed in between, the stamp differs from the next one
        // and the entry is never used. A file that had not settled when its stamp was taken is read again each time.
        if (stamp.IsSettled(stampTaken))
        {
            cache[path] = (stamp, value);
        }
        else
        {
            cache.TryRemove(path, out _);
        }
    }
}

/// <summary>What a definition says of a domain's identity.</summary>
/// <param name="Name">The domain's name.</param>
/// <param name="Uuid">Its UUID, when the definition has one.</param>
internal sealed record DomainHeader(string Name, Guid? Uuid);
