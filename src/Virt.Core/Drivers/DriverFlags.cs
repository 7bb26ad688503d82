using System.Globalization;

namespace Virt.Drivers;

/// <summary>
/// libvirt's flag checks (<c>virCheckFlags</c>, <c>VIR_EXCLUSIVE_FLAGS_RET</c>, <c>VIR_REQUIRE_FLAG_RET</c>), worded
/// as libvirt words them. Every driver and the façade call these; no other code builds these messages.
/// </summary>
internal static class DriverFlags
{
    /// <summary>Throws libvirt's "unsupported flags (0x..) in function F" when <paramref name="flags"/> has a bit
    /// outside <paramref name="supported"/>.</summary>
    public static void CheckSupported<T>(T flags, T supported, string function)
        where T : struct, Enum
    {
        ulong extra = ToBits(flags) & ~ToBits(supported);
        if (extra != 0)
        {
            throw Unsupported(extra, function);
        }
    }

    /// <summary>libvirt's "unsupported flags" error for the given extra bits.</summary>
    public static VirtException Unsupported(ulong extraBits, string function) =>
        VirtException.WithoutPrefix(VirtErrorCode.InvalidArg,
            $"unsupported flags (0x{extraBits.ToString("x", CultureInfo.InvariantCulture)}) in function {function}");

    /// <summary>Throws libvirt's "Flags 'A' and 'B' are mutually exclusive" when both flags are set.</summary>
    public static void CheckExclusive<T>(T flags, T first, string firstName, T second, string secondName)
        where T : struct, Enum
    {
        ulong bits = ToBits(flags);
        if ((bits & ToBits(first)) != 0 && (bits & ToBits(second)) != 0)
        {
            throw Exclusive(firstName, secondName);
        }
    }

    /// <summary>libvirt's mutually-exclusive-flags error.</summary>
    public static VirtException Exclusive(string firstName, string secondName) =>
        VirtException.WithoutPrefix(VirtErrorCode.InvalidArg, $"Flags '{firstName}' and '{secondName}' are mutually exclusive");

    /// <summary>Throws libvirt's "Flag 'B' is required by flag 'A'" when <paramref name="flag"/> is set without
    /// <paramref name="required"/>.</summary>
    public static void CheckRequired<T>(T flags, T flag, string flagName, T required, string requiredName)
        where T : struct, Enum
    {
        ulong bits = ToBits(flags);
        if ((bits & ToBits(flag)) != 0 && (bits & ToBits(required)) == 0)
        {
            throw VirtException.WithoutPrefix(VirtErrorCode.InvalidArg, $"Flag '{requiredName}' is required by flag '{flagName}'");
        }
    }

    private static ulong ToBits<T>(T value)
        where T : struct, Enum => Convert.ToUInt64(value, CultureInfo.InvariantCulture);
}
