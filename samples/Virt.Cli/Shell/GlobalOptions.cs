namespace Virt.Cli.Shell;

/// <summary>The options before the command (virsh's <c>virshParseArgv</c>, a getopt that stops at the first word).</summary>
internal sealed class GlobalOptions
{
    private static readonly string[] LongOptions = ["connect", "help", "quiet", "version"];

    /// <summary>The URI from <c>-c</c>/<c>--connect</c>, or null.</summary>
    public string? Uri { get; private set; }

    /// <summary><c>-q</c>/<c>--quiet</c>: no informational messages, no table headers, no banner.</summary>
    public bool Quiet { get; private set; }

    /// <summary><c>-h</c>/<c>--help</c>; parsing stopped there.</summary>
    public bool ShowUsage { get; private set; }

    /// <summary><c>-v</c>/<c>--version</c>; parsing stopped there.</summary>
    public bool ShowVersion { get; private set; }

    /// <summary>The command words after the options.</summary>
    public IReadOnlyList<string> Rest { get; private set; } = [];

    /// <summary>Parses the program's arguments.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="options">The result.</param>
    /// <param name="error">virsh's message when parsing failed.</param>
    /// <returns>Whether parsing succeeded.</returns>
    public static bool TryParse(IReadOnlyList<string> args, out GlobalOptions options, out string? error)
    {
        options = new GlobalOptions();
        error = null;
        int i = 0;
        for (; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                i++;
                break;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                string name = arg[2..];
                string? inline = null;
                int eq = name.IndexOf('=', StringComparison.Ordinal);
                if (eq >= 0)
                {
                    inline = name[(eq + 1)..];
                    name = name[..eq];
                }

                // As getopt_long: a unique prefix names the option ("--conn").
                string? option = name.Length == 0 ? null : Array.Find(LongOptions, o => o.StartsWith(name, StringComparison.Ordinal));
                if (option is null)
                {
                    error = $"unsupported option '{arg}'. See --help.";
                    return false;
                }

                if (option == "connect")
                {
                    if (inline is null && i + 1 == args.Count)
                    {
                        error = "option '-c'/'--connect' requires an argument";
                        return false;
                    }

                    options.Uri = inline ?? args[++i];
                    continue;
                }

                if (inline is not null)
                {
                    // getopt reports a flag given a value by its short letter.
                    error = $"unsupported option '-{option[0]}'. See --help.";
                    return false;
                }

                if (option == "quiet")
                {
                    options.Quiet = true;
                    continue;
                }

                // As virsh: --help and --version act at once, before any later option is read.
                options.ShowUsage = option == "help";
                options.ShowVersion = option == "version";
                return true;
            }

            if (arg.Length < 2 || arg[0] != '-')
            {
                break;
            }

            for (int j = 1; j < arg.Length; j++)
            {
                switch (arg[j])
                {
                    case 'c':
                        if (j + 1 < arg.Length)
                        {
                            options.Uri = arg[(j + 1)..];
                        }
                        else if (i + 1 < args.Count)
                        {
                            options.Uri = args[++i];
                        }
                        else
                        {
                            error = "option '-c'/'--connect' requires an argument";
                            return false;
                        }

                        j = arg.Length;
                        break;
                    case 'q':
                        options.Quiet = true;
                        break;
                    case 'h':
                        options.ShowUsage = true;
                        return true;
                    case 'v':
                        options.ShowVersion = true;
                        return true;
                    default:
                        error = $"unsupported option '-{arg[j]}'. See --help.";
                        return false;
                }
            }
        }

        options.Rest = args.Skip(i).ToArray();
        return true;
    }
}
