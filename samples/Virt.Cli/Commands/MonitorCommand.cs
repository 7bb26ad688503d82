using System.Text.Json;
using System.Text.Json.Nodes;
using Virt.Cli.Parsing;

namespace Virt.Cli.Commands;

/// <summary><c>qemu-monitor-command</c>: passes QMP (or HMP) text straight to the domain's monitor.</summary>
internal static class MonitorCommand
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true };

    public static CommandDef Definition => new("qemu-monitor-command",
        [
            OptionDef.Domain(),
            OptionDef.Flag("hmp", "command is in human monitor protocol"),
            OptionDef.Flag("pretty", "pretty-print any qemu monitor protocol output"),
            OptionDef.Flag("return-value", "extract the value of the 'return' key from the returned string"),
            new("cmd", OptionType.Argv, "command", OptionFlags.Required),
        ],
        "QEMU Monitor Command", "QEMU Monitor Command", Run);

    private static bool Run(CommandContext context, ParsedCommand command)
    {
        if (context.Exclusive(command, "hmp", "pretty") || context.Exclusive(command, "hmp", "return-value"))
        {
            return false;
        }

        var domain = DomainLookup.Find(context, command);
        var words = command.GetAll("cmd");
        bool hmp = command.Has("hmp");
        string text = hmp ? string.Join(' ', words) : WrapQmp(context, words);
        string reply = domain.MonitorCommand(text, hmp ? MonitorCommandFlags.Hmp : MonitorCommandFlags.None);
        if (command.Has("pretty") || command.Has("return-value"))
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(reply);
            }
            catch (JsonException e)
            {
                context.Error($"internal error: cannot parse json {reply}: {e.Message}");
                return false;
            }

            if (command.Has("return-value"))
            {
                if (node is not JsonObject replyObject || !replyObject.TryGetPropertyValue("return", out node))
                {
                    context.Error("'return' member missing");
                    return false;
                }
            }

            reply = node is null ? "null" : node.ToJsonString(command.Has("pretty") ? Pretty : null);
        }

        context.Print(reply + "\n");
        return true;
    }

    /// <summary>A JSON object is sent as is; otherwise the first word is the command and the rest its arguments.</summary>
    private static string WrapQmp(CommandContext context, IReadOnlyList<string> words)
    {
        string full = string.Join(' ', words);
        try
        {
            if (JsonNode.Parse(full) is JsonObject)
            {
                return full;
            }
        }
        catch (JsonException)
        {
        }

        var wrapped = new JsonObject { ["execute"] = words[0] };
        if (words.Count > 1)
        {
            string rest = string.Join(' ', words.Skip(1));
            try
            {
                wrapped["arguments"] = JsonNode.Parse("{" + rest + "}");
            }
            catch (JsonException e)
            {
                context.Error($"failed to wrap arguments '{rest}' into a QMP command wrapper");
                context.Error($"internal error: cannot parse json {{{rest}}}: {e.Message}");
                throw new CommandFailedException();
            }
        }

        return wrapped.ToJsonString();
    }
}
