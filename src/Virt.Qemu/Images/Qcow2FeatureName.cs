namespace Virt.Qemu.Images;

/// <summary>The kinds of qcow2 feature bits.</summary>
public enum Qcow2FeatureKind
{
    /// <summary>An image with an unknown bit of this kind must not be opened.</summary>
    Incompatible = 0,
    /// <summary>An unknown bit of this kind can be ignored.</summary>
    Compatible = 1,
    /// <summary>An unknown bit of this kind is cleared when the image is opened read-write.</summary>
    Autoclear = 2,
}

/// <summary>One entry of the qcow2 feature name table header extension.</summary>
public sealed class Qcow2FeatureName
{
    internal Qcow2FeatureName()
    {
    }

    /// <summary>Which feature bit set the entry names a bit of.</summary>
    public Qcow2FeatureKind Kind { get; internal init; }

    /// <summary>The bit number (0-63).</summary>
    public int Bit { get; internal init; }

    /// <summary>The feature's human-readable name.</summary>
    public string Name { get; internal init; } = "";
}
