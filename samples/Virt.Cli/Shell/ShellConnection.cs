using Virt.Cli.Commands;

namespace Virt.Cli.Shell;

/// <summary>
/// The shell's one connection, opened when first needed, as virsh does for its default URI: so
/// <c>help</c>, <c>echo</c> and <c>quit</c> work with no hypervisor. A failed attempt prints virsh's two
/// lines; the next command that needs the connection tries again.
/// </summary>
internal sealed class ShellConnection : IDisposable
{
    private readonly string _uri;
    private readonly Func<string, IVirtConnection> _open;
    private readonly Action<string> _error;
    private IVirtConnection? _connection;

    public ShellConnection(string uri, Func<string, IVirtConnection> open, Action<string> error)
    {
        _uri = uri;
        _open = open;
        _error = error;
    }

    /// <summary>Opens the connection unless it is open.</summary>
    /// <returns>False when opening failed (and the reason was printed).</returns>
    public bool TryOpen()
    {
        if (_connection is not null)
        {
            return true;
        }

        try
        {
            _connection = _open(_uri);
            return true;
        }
        catch (VirtException e)
        {
            _error("failed to connect to the hypervisor");
            _error(e.Message);
            return false;
        }
    }

    /// <summary>The open connection, opening it first if needed.</summary>
    /// <exception cref="CommandFailedException">It could not be opened; the reason was printed.</exception>
    public IVirtConnection Get() => TryOpen() ? _connection! : throw new CommandFailedException();

    public void Dispose() => _connection?.Dispose();
}
