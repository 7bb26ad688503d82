namespace Virt.Snapshot.Xml;

/// <summary>libvirt's string tables for snapshot states, locations and storage formats.</summary>
internal static class SnapshotXmlNames
{
    private static readonly string[] States =
        ["nostate", "running", "blocked", "paused", "shutdown", "shutoff", "crashed", "pmsuspended", "disk-snapshot"];

    private static readonly string[] Locations = ["default", "no", "internal", "external", "manual"];

    private static readonly HashSet<string> Formats = new(StringComparer.Ordinal)
    {
        "raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi", "fat", "vhd", "ploop", "cow", "qcow", "qcow2", "qed", "vmdk",
    };

    public static string ToXml(SnapshotState state) => States[(int)state];

    public static string ToXml(SnapshotLocation location) => Locations[(int)location];

    public static SnapshotState? ParseState(string text)
    {
        int i = Array.IndexOf(States, text);
        return i < 0 ? null : (SnapshotState)i;
    }

    public static SnapshotLocation? ParseLocation(string text)
    {
        int i = Array.IndexOf(Locations, text);
        return i < 0 ? null : (SnapshotLocation)i;
    }

    public static bool IsKnownFormat(string text) => Formats.Contains(text);
}
