namespace Virt.Qemu.Images;

/// <summary>Numbers from QEMU's docs/interop/qcow2.txt and the limits QEMU enforces when it opens an image.</summary>
internal static class Qcow2Constants
{
    public const uint Magic = 0x514649fb; // "QFI\xfb"
    public const int V2HeaderLength = 72;
    public const int V3MinHeaderLength = 104;
    public const int V3HeaderLengthWritten = 112;
    public const int MinClusterBits = 9;
    public const int MaxClusterBits = 21;
    public const int MaxBackingFileNameLength = 1023;
    public const int MaxRefcountOrder = 6;
    public const long MaxL1SizeBytes = 32L * 1024 * 1024;
    public const long MaxRefcountTableBytes = 8L * 1024 * 1024;
    public const int MaxSnapshots = 65536;
    public const int MaxSnapshotExtraData = 1024;
    public const long MaxSnapshotTableBytes = 64L * 1024 * 1024;
    public const int MaxBitmaps = 65535;
    public const long MaxBitmapDirectoryBytes = 1024L * 65535;
    public const int SnapshotFixedLength = 40;
    public const int FeatureNameEntryLength = 48;
    public const ulong L1OffsetMask = 0x00fffffffffffe00UL;

    public const uint ExtEnd = 0x00000000;
    public const uint ExtBackingFormat = 0xe2792aca;
    public const uint ExtFeatureNames = 0x6803f857;
    public const uint ExtBitmaps = 0x23852875;
    public const uint ExtFullDiskEncryption = 0x0537be77;
    public const uint ExtExternalDataFile = 0x44415441;

    public const int IncompatDirty = 0;
    public const int IncompatCorrupt = 1;
    public const int IncompatExternalData = 2;
    public const int IncompatCompressionType = 3;
    public const int IncompatExtendedL2 = 4;
    public const ulong KnownIncompatibleMask = 0x1f;
    public const int CompatLazyRefcounts = 0;
    public const int AutoclearBitmaps = 0;
    public const int AutoclearDataFileRaw = 1;
}
