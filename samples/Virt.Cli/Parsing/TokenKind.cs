namespace Virt.Cli.Parsing;

/// <summary>What a token source returned (virsh's <c>vshCommandToken</c>).</summary>
internal enum TokenKind
{
    /// <summary>A word.</summary>
    Arg,
    /// <summary>The end of one command (<c>;</c>, a newline, or a comment).</summary>
    CommandEnd,
    /// <summary>The end of the input.</summary>
    End,
    /// <summary>A syntax error, already described by the source.</summary>
    Error,
}

/// <summary>Hands the parser one word at a time.</summary>
internal interface ITokenSource
{
    /// <summary>Reads the next token.</summary>
    /// <param name="value">The word, for <see cref="TokenKind.Arg"/>.</param>
    /// <param name="error">The message, for <see cref="TokenKind.Error"/>.</param>
    /// <returns>What was read.</returns>
    TokenKind Next(out string value, out string? error);
}

/// <summary>Words from the program's arguments: each argument is one word, <c>;</c> is not special.</summary>
internal sealed class ArgvTokenSource : ITokenSource
{
    private readonly IReadOnlyList<string> _args;
    private int _position;

    public ArgvTokenSource(IReadOnlyList<string> args) => _args = args;

    public TokenKind Next(out string value, out string? error)
    {
        error = null;
        if (_position == _args.Count)
        {
            value = string.Empty;
            return TokenKind.End;
        }

        value = _args[_position++];
        return TokenKind.Arg;
    }
}
