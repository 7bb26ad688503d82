using System.Text;

namespace Virt.Cli.Parsing;

/// <summary>
/// Words from one string of commands, with virsh's rules: blanks separate words; <c>;</c> and
/// newlines end a command; <c>#</c> at the start of a word comments out the rest of the line;
/// single quotes keep everything literal; double quotes keep blanks, with backslash escapes inside;
/// backslash-newline is elided.
/// </summary>
internal sealed class StringTokenSource : ITokenSource
{
    private readonly string _text;
    private int _position;

    public StringTokenSource(string text) => _text = text;

    public TokenKind Next(out string value, out string? error)
    {
        value = string.Empty;
        error = null;
        string s = _text;
        int p = _position;
        while (p < s.Length && (s[p] == ' ' || s[p] == '\t' || (s[p] == '\\' && p + 1 < s.Length && s[p + 1] == '\n')))
        {
            p += s[p] == '\\' ? 2 : 1;
        }

        if (p == s.Length)
        {
            _position = p;
            return TokenKind.End;
        }

        if (s[p] == ';' || s[p] == '\n')
        {
            _position = p + 1;
            return TokenKind.CommandEnd;
        }

        if (s[p] == '#')
        {
            while (p < s.Length && s[p] != '\n')
            {
                p++;
            }

            _position = p < s.Length ? p + 1 : p;
            return TokenKind.CommandEnd;
        }

        var word = new StringBuilder();
        bool single = false;
        bool dbl = false;
        while (p < s.Length)
        {
            char c = s[p];
            if (!single && !dbl && (c == ' ' || c == '\t' || c == ';' || c == '\n'))
            {
                break;
            }

            if (!dbl && c == '\'')
            {
                single = !single;
                p++;
                continue;
            }

            if (!single && c == '\\')
            {
                p++;
                if (p == s.Length)
                {
                    error = "dangling \\";
                    _position = p;
                    return TokenKind.Error;
                }

                if (s[p] == '\n')
                {
                    p++;
                    continue;
                }
            }
            else if (!single && c == '"')
            {
                dbl = !dbl;
                p++;
                continue;
            }

            word.Append(s[p]);
            p++;
        }

        _position = p;
        if (dbl)
        {
            error = "missing \"";
            return TokenKind.Error;
        }

        value = word.ToString();
        return TokenKind.Arg;
    }
}
