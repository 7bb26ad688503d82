using Virt.Drivers;
using Virt.Remote.Xdr;

namespace Virt.Remote.Protocol;

/// <summary>Decodes one value of a reply.</summary>
internal delegate T XdrDecoder<out T>(ref XdrReader reader);

/// <summary>The remote program's shared types: remote_nonnull_domain, remote_nonnull_domain_snapshot, UUIDs.</summary>
internal static class RemoteWire
{
    /// <summary>VIR_UUID_BUFLEN.</summary>
    public const int UuidLength = 16;

    /// <summary>remote_nonnull_domain. The daemon finds the domain by UUID; the id is informational, -1 here.</summary>
    public static void WriteDomain(XdrWriter writer, DomainIdentity domain)
    {
        writer.WriteString(domain.Name);
        WriteUuid(writer, domain.Uuid);
        writer.WriteInt32(-1);
    }

    public static RemoteDomain ReadDomain(ref XdrReader reader)
    {
        string name = reader.ReadString();
        var uuid = ReadUuid(ref reader);
        int id = reader.ReadInt32();
        return new RemoteDomain(new DomainIdentity(name, uuid), id);
    }

    /// <summary>remote_nonnull_domain_snapshot: the snapshot's name, then its domain.</summary>
    public static void WriteSnapshot(XdrWriter writer, SnapshotIdentity snapshot)
    {
        writer.WriteString(snapshot.Name);
        WriteDomain(writer, snapshot.Domain);
    }

    public static SnapshotIdentity ReadSnapshot(ref XdrReader reader)
    {
        string name = reader.ReadString();
        var domain = ReadDomain(ref reader);
        return new SnapshotIdentity(domain.Identity, name);
    }

    public static void WriteUuid(XdrWriter writer, Guid uuid)
    {
        Span<byte> bytes = stackalloc byte[UuidLength];
        uuid.TryWriteBytes(bytes, bigEndian: true, out _);
        writer.WriteFixedOpaque(bytes);
    }

    public static Guid ReadUuid(ref XdrReader reader) => new(reader.ReadFixedOpaque(UuidLength), bigEndian: true);

    /// <summary>A variable-length array of at most <paramref name="max"/> items.</summary>
    public static T[] ReadArray<T>(ref XdrReader reader, int max, string what, XdrDecoder<T> item)
    {
        int count = reader.ReadArrayLength(max, what);
        var items = new T[count];
        for (int i = 0; i < count; i++)
        {
            items[i] = item(ref reader);
        }

        return items;
    }
}

/// <summary>A domain as the daemon describes it: its identity and its id (-1 when it is not running).</summary>
internal readonly record struct RemoteDomain(DomainIdentity Identity, int Id);
