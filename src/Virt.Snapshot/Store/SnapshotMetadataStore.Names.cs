using System.Globalization;
using System.Text;

namespace Virt.Snapshot;

/// <summary>Snapshot names as file names.</summary>
public sealed partial class SnapshotMetadataStore
{
    /// <summary>The longest snapshot name accepted, in UTF-8 bytes (file names are limited to 255).</summary>
    public const int MaxNameBytes = 200;

    private const string Extension = ".xml";

    /// <summary>Checks that a snapshot name can safely become a file name: not empty, at most
    /// <see cref="MaxNameBytes"/> UTF-8 bytes, not <c>.</c> or <c>..</c>, no <c>/</c> or <c>\</c>, no control
    /// characters, no unpaired UTF-16 surrogate (it has no UTF-8 form, so two such names would share a file).</summary>
    /// <param name="name">The name.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> saying what is wrong.</exception>
    public static void ValidateName(string? name)
    {
        string? problem = NameProblem(name);
        if (problem is not null)
        {
            throw new VirtException(VirtErrorCode.InvalidArg, problem);
        }
    }

    internal static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "snapshot name must not be empty";
        }

        if (name is "." or "..")
        {
            return $"invalid snapshot name '{name}': '.' and '..' are not allowed";
        }

        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c is '/' or '\\')
            {
                return $"invalid snapshot name '{name}': name can't contain '{c}'";
            }

            if (char.IsControl(c))
            {
                return $"invalid snapshot name '{Printable(name)}': name can't contain control characters";
            }

            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"invalid snapshot name '{Printable(name)}': name can't contain unpaired UTF-16 surrogates";
            }
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
        {
            return $"invalid snapshot name '{name[..32]}...': longer than {MaxNameBytes} bytes";
        }

        return null;
    }

    private string PathOf(string name) => Path.Combine(Directory, name + Extension);

    private static string Printable(string name) =>
        string.Concat(name.Select(c => char.IsControl(c) ? "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture)
            : char.IsSurrogate(c) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString()));
}
