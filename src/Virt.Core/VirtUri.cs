namespace Virt;

/// <summary>
/// A connection URI in libvirt's form: <c>driver[+transport]://[host]/path[?key=value&amp;...]</c>,
/// for example <c>qemu:///embed?root=/srv/vms</c>, <c>qemu:///session</c> or <c>test:///default</c>.
/// </summary>
public sealed class VirtUri
{
    private VirtUri(string original, string scheme, string? transport, string host, string path, IReadOnlyDictionary<string, string> parameters)
    {
        Original = original;
        Scheme = scheme;
        Transport = transport;
        Host = host;
        Path = path;
        Parameters = parameters;
    }

    /// <summary>The URI as given.</summary>
    public string Original { get; }

    /// <summary>The driver part of the scheme, lower case (<c>qemu</c>, <c>test</c>).</summary>
    public string Scheme { get; }

    /// <summary>The transport after <c>+</c> in the scheme, or null.</summary>
    public string? Transport { get; }

    /// <summary>The host, empty for the local host.</summary>
    public string Host { get; }

    /// <summary>The path, starting with <c>/</c> (<c>/session</c>, <c>/embed</c>, <c>/default</c>).</summary>
    public string Path { get; }

    /// <summary>The query parameters, unescaped.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Parses a URI.</summary>
    /// <param name="uri">The URI text.</param>
    /// <returns>The parsed URI.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="uri"/> is null.</exception>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> when the text is not a URI of that form;
    /// <see cref="VirtErrorCode.InternalError"/> ("Unable to parse URI ...", as libvirt says) for a <c>%</c> not followed by two hex digits.</exception>
    public static VirtUri Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!HasValidEscapes(uri))
        {
            // libvirt's xmlParseURI refuses a '%' not followed by two hex digits anywhere in the URI, in these words.
            throw new VirtException(VirtErrorCode.InternalError, $"Unable to parse URI {uri}");
        }

        int sep = uri.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0)
        {
            throw Invalid(uri, "expected SCHEME://[HOST]/PATH");
        }

        string schemePart = uri[..sep];
        foreach (char c in schemePart)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                throw Invalid(uri, $"scheme '{schemePart}' contains '{c}'");
            }
        }

        string? transport = null;
        int plus = schemePart.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            transport = schemePart[(plus + 1)..].ToLowerInvariant();
            schemePart = schemePart[..plus];
        }

        string rest = uri[(sep + 3)..];
        string query = string.Empty;
        int q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        string host = slash < 0 ? rest : rest[..slash];
        string path = slash < 0 ? "/" : rest[slash..];
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string key = Unescape(uri, eq < 0 ? pair : pair[..eq]);
            string value = eq < 0 ? string.Empty : Unescape(uri, pair[(eq + 1)..]);
            if (!parameters.TryAdd(key, value))
            {
                throw Invalid(uri, $"parameter '{key}' is given twice");
            }
        }

        return new VirtUri(uri, schemePart.ToLowerInvariant(), transport, host, path, parameters);
    }

    /// <inheritdoc/>
    public override string ToString() => Original;

    private static bool HasValidEscapes(string uri)
    {
        for (int i = uri.IndexOf('%', StringComparison.Ordinal); i >= 0; i = uri.IndexOf('%', i + 3))
        {
            if (i + 2 >= uri.Length || !char.IsAsciiHexDigit(uri[i + 1]) || !char.IsAsciiHexDigit(uri[i + 2]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Unescape(string uri, string text)
    {
        try
        {
            return Uri.UnescapeDataString(text.Replace('+', ' '));
        }
        catch (UriFormatException ex)
        {
            throw Invalid(uri, ex.Message, ex);
        }
    }

    private static VirtException Invalid(string uri, string why, Exception? innerException = null) =>
        new(VirtErrorCode.InvalidArg, $"cannot parse URI '{uri}': {why}", innerException);
}
