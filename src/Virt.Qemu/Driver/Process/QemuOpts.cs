using System.Text;

namespace Virt.Qemu.Driver.Process;

/// <summary>
/// Builds a QemuOpts option string (<c>key=value,key=value</c>) for the few QEMU options that take no JSON
/// (<c>-name</c>, <c>-machine</c>, <c>-chardev</c>, <c>-mon</c>). Every value is escaped as QEMU's option parser
/// reads it (a comma is doubled), so text from a definition can never add an option of its own.
/// </summary>
internal sealed class QemuOpts
{
    private readonly StringBuilder _text = new();

    /// <summary>Starts the string with a bare first value (a driver, backend or machine type), escaped.</summary>
    public QemuOpts(string? first = null)
    {
        if (first is not null)
        {
            Append(first);
        }
    }

    /// <summary>Adds <c>key=value</c>; a null value adds nothing.</summary>
    public QemuOpts Add(string key, string? value)
    {
        if (value is null)
        {
            return this;
        }

        if (_text.Length > 0)
        {
            _text.Append(',');
        }

        _text.Append(key).Append('=');
        Append(value);
        return this;
    }

    /// <summary>Adds <c>key=on</c> or <c>key=off</c>.</summary>
    public QemuOpts Add(string key, bool value) => Add(key, value ? "on" : "off");

    /// <inheritdoc/>
    public override string ToString() => _text.ToString();

    private void Append(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new VirtException(VirtErrorCode.ConfigUnsupported, "a QEMU option value cannot hold a NUL character");
        }

        _text.Append(value.Replace(",", ",,", StringComparison.Ordinal));
    }
}
