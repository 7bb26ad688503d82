using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Virt.Qemu.Images;

/// <summary>
/// Renders image descriptions exactly as qemu-img 7.2 prints them: the human output of
/// <c>qemu-img info</c>, <c>qemu-img info --backing-chain</c> and <c>qemu-img snapshot -l</c>, and the
/// JSON of <c>qemu-img info --output=json</c>. Every result ends with a newline, like qemu-img's.
/// Not produced: <c>encrypted</c> (encrypted images are refused), <c>children</c>/<c>format-specific</c>
/// of the protocol layer (not printed by qemu-img 7.2 either), and <c>actual-size</c>/"disk size" where the
/// platform cannot report allocated blocks ("disk size: unavailable", field omitted).
/// </summary>
public static class ImageFormatter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The human output of <c>qemu-img info</c> for one image.</summary>
    /// <param name="info">The image.</param>
    /// <returns>The text, ending with a newline.</returns>
    public static string InfoText(ImageInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var sb = new StringBuilder();
        sb.Append(Inv, $"image: {info.Filename}\n");
        sb.Append(Inv, $"file format: {info.Format}\n");
        sb.Append(Inv, $"virtual size: {ImageSize.ToHumanString(info.VirtualSize)} ({info.VirtualSize} bytes)\n");
        sb.Append("disk size: ").Append(info.ActualSize is { } a ? ImageSize.ToHumanString(a) : "unavailable").Append('\n');
        if (info.ClusterSize is { } cs)
        {
            sb.Append(Inv, $"cluster_size: {cs}\n");
        }

        if (info.DirtyFlag)
        {
            sb.Append("cleanly shut down: no\n");
        }

        if (info.BackingFilename is { } backing)
        {
            sb.Append("backing file: ").Append(backing);
            if (info.FullBackingFilename is null)
            {
                sb.Append(" (cannot determine actual path)");
            }
            else if (info.FullBackingFilename != backing)
            {
                sb.Append(" (actual path: ").Append(info.FullBackingFilename).Append(')');
            }

            sb.Append('\n');
        }

        if (info.BackingFormat is { } bf)
        {
            sb.Append("backing file format: ").Append(bf).Append('\n');
        }

        if (info.Snapshots.Count > 0)
        {
            sb.Append("Snapshot list:\n");
            AppendSnapshotTable(sb, info.Snapshots);
        }

        if (info.Qcow2 is { } q)
        {
            sb.Append("Format specific information:\n");
            AppendQcow2Text(sb, q);
        }

        return sb.ToString();
    }

    /// <summary>The human output of <c>qemu-img info --backing-chain</c>: each image, separated by a blank line.</summary>
    /// <param name="chain">The chain, top first.</param>
    /// <returns>The text, ending with a newline.</returns>
    public static string ChainText(IReadOnlyList<ImageInfo> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return string.Join("\n", chain.Select(InfoText));
    }

    /// <summary>The output of <c>qemu-img snapshot -l</c> (nothing when there are no snapshots).</summary>
    /// <param name="snapshots">The snapshots.</param>
    /// <returns>The text, ending with a newline, or empty.</returns>
    public static string SnapshotsText(IReadOnlyList<ImageSnapshotInfo> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        if (snapshots.Count == 0)
        {
            return "";
        }

        var sb = new StringBuilder("Snapshot list:\n");
        AppendSnapshotTable(sb, snapshots);
        return sb.ToString();
    }

    /// <summary>The output of <c>qemu-img info --output=json</c> for one image.</summary>
    /// <param name="info">The image.</param>
    /// <returns>Indented JSON, ending with a newline.</returns>
    public static string InfoJson(ImageInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return Json(w => WriteInfo(w, info));
    }

    /// <summary>The output of <c>qemu-img info --backing-chain --output=json</c>: an array, top image first.</summary>
    /// <param name="chain">The chain, top first.</param>
    /// <returns>Indented JSON, ending with a newline.</returns>
    public static string ChainJson(IReadOnlyList<ImageInfo> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return Json(w =>
        {
            w.WriteStartArray();
            foreach (ImageInfo i in chain)
            {
                WriteInfo(w, i);
            }

            w.WriteEndArray();
        });
    }

    /// <summary>The snapshots as a JSON array whose objects are those of <c>qemu-img info --output=json</c>'s "snapshots".</summary>
    /// <param name="snapshots">The snapshots.</param>
    /// <returns>Indented JSON, ending with a newline.</returns>
    public static string SnapshotsJson(IReadOnlyList<ImageSnapshotInfo> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        return Json(w => WriteSnapshots(w, snapshots));
    }

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions
        {
            Indented = true,
            IndentSize = 4,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            body(w);
        }

        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    private static void WriteInfo(Utf8JsonWriter w, ImageInfo i)
    {
        w.WriteStartObject();
        if (i.BackingFormat is not null)
        {
            w.WriteString("backing-filename-format", i.BackingFormat);
        }

        if (i.Snapshots.Count > 0)
        {
            w.WritePropertyName("snapshots");
            WriteSnapshots(w, i.Snapshots);
        }

        w.WriteNumber("virtual-size", i.VirtualSize);
        w.WriteString("filename", i.Filename);
        if (i.ClusterSize is { } cs)
        {
            w.WriteNumber("cluster-size", cs);
        }

        w.WriteString("format", i.Format);
        if (i.ActualSize is { } a)
        {
            w.WriteNumber("actual-size", a);
        }

        if (i.Qcow2 is { } q)
        {
            w.WriteStartObject("format-specific");
            w.WriteString("type", "qcow2");
            w.WriteStartObject("data");
            WriteQcow2(w, q);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        if (i.FullBackingFilename is not null)
        {
            w.WriteString("full-backing-filename", i.FullBackingFilename);
        }

        if (i.BackingFilename is not null)
        {
            w.WriteString("backing-filename", i.BackingFilename);
        }

        w.WriteBoolean("dirty-flag", i.DirtyFlag);
        w.WriteEndObject();
    }

    private static void WriteQcow2(Utf8JsonWriter w, Qcow2Details q)
    {
        foreach (var (key, value) in Qcow2Fields(q))
        {
            switch (value)
            {
                case string s:
                    w.WriteString(key, s);
                    break;
                case bool b:
                    w.WriteBoolean(key, b);
                    break;
                case int n:
                    w.WriteNumber(key, n);
                    break;
                case IReadOnlyList<Qcow2Bitmap> bitmaps:
                    w.WriteStartArray(key);
                    foreach (Qcow2Bitmap bm in bitmaps)
                    {
                        w.WriteStartObject();
                        w.WriteStartArray("flags");
                        foreach (string f in bm.Flags)
                        {
                            w.WriteStringValue(f);
                        }

                        w.WriteEndArray();
                        w.WriteString("name", bm.Name);
                        w.WriteNumber("granularity", bm.Granularity);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    break;
            }
        }
    }

    private static void AppendQcow2Text(StringBuilder sb, Qcow2Details q)
    {
        const string Pad = "    ";
        foreach (var (key, value) in Qcow2Fields(q))
        {
            string label = key.Replace('-', ' ');
            switch (value)
            {
                case IReadOnlyList<Qcow2Bitmap> bitmaps:
                    sb.Append(Pad).Append(label).Append(":\n");
                    for (int i = 0; i < bitmaps.Count; i++)
                    {
                        sb.Append(Inv, $"{Pad}{Pad}[{i}]:\n");
                        sb.Append(Pad).Append(Pad).Append(Pad).Append("flags:\n");
                        for (int f = 0; f < bitmaps[i].Flags.Count; f++)
                        {
                            sb.Append(Inv, $"{Pad}{Pad}{Pad}{Pad}[{f}]: {bitmaps[i].Flags[f]}\n");
                        }

                        sb.Append(Inv, $"{Pad}{Pad}{Pad}name: {bitmaps[i].Name}\n");
                        sb.Append(Inv, $"{Pad}{Pad}{Pad}granularity: {bitmaps[i].Granularity}\n");
                    }

                    break;
                case bool b:
                    sb.Append(Pad).Append(label).Append(": ").Append(b ? "true" : "false").Append('\n');
                    break;
                default:
                    sb.Append(Pad).Append(label).Append(": ").Append(Convert.ToString(value, Inv)).Append('\n');
                    break;
            }
        }
    }

    private static IEnumerable<(string Key, object Value)> Qcow2Fields(Qcow2Details q)
    {
        yield return ("compat", q.Compat);
        yield return ("compression-type", q.CompressionType);
        if (q.Version >= 3)
        {
            yield return ("lazy-refcounts", q.LazyRefcounts);
        }

        if (q.Bitmaps.Count > 0)
        {
            yield return ("bitmaps", q.Bitmaps);
        }

        yield return ("refcount-bits", q.RefcountBits);
        if (q.DataFile is not null)
        {
            yield return ("data-file", q.DataFile);
        }

        if (q.DataFileRaw is { } raw)
        {
            yield return ("data-file-raw", raw);
        }

        if (q.Version >= 3)
        {
            yield return ("corrupt", q.Corrupt);
            yield return ("extended-l2", q.ExtendedL2);
        }
    }

    private static void WriteSnapshots(Utf8JsonWriter w, IReadOnlyList<ImageSnapshotInfo> snapshots)
    {
        w.WriteStartArray();
        foreach (ImageSnapshotInfo s in snapshots)
        {
            w.WriteStartObject();
            if (s.Icount is { } ic)
            {
                w.WriteNumber("icount", ic);
            }

            w.WriteNumber("vm-clock-nsec", s.VmClockNanoseconds % 1_000_000_000);
            w.WriteString("name", s.Name);
            w.WriteNumber("date-sec", s.DateSeconds);
            w.WriteNumber("date-nsec", s.DateNanoseconds);
            w.WriteNumber("vm-clock-sec", s.VmClockNanoseconds / 1_000_000_000);
            w.WriteString("id", s.Id);
            w.WriteNumber("vm-state-size", s.VmStateSize);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void AppendSnapshotTable(StringBuilder sb, IReadOnlyList<ImageSnapshotInfo> snapshots)
    {
        sb.Append(Inv, $"{"ID",-10}{"TAG",-17}{"VM SIZE",8}{"DATE",20}{"VM CLOCK",13}{"ICOUNT",11}\n");
        foreach (ImageSnapshotInfo s in snapshots)
        {
            string date = DateTimeOffset.FromUnixTimeSeconds(s.DateSeconds).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", Inv);
            long secs = s.VmClockNanoseconds / 1_000_000_000;
            string clock = string.Create(Inv, $"{secs / 3600:00}:{secs / 60 % 60:00}:{secs % 60:00}.{s.VmClockNanoseconds / 1_000_000 % 1000:000}");
            string icount = s.Icount is { } ic ? ic.ToString(Inv) : "";
            sb.Append(Inv, $"{s.Id,-9} {s.Name,-16} {ImageSize.ToHumanString(s.VmStateSize),8}{date,20}{clock,13}{icount,11}\n");
        }
    }
}
