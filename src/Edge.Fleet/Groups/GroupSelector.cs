using System.Text;
using Edge.Fleet.Inventory;

namespace Edge.Fleet.Groups;

/// <summary>
/// An attribute selector such as <c>board=jetson-orin-nano,site=lobby</c>: every term must hold. A term is
/// <c>name=value</c> or <c>name!=value</c>; <c>|</c> separates alternatives (<c>site=lobby|dock</c>) and <c>*</c> is a
/// wildcard. Names: <c>device</c>, <c>fleet</c>, <c>board</c>, <c>os</c>, <c>arch</c>, <c>agent</c>, <c>sdk</c>,
/// <c>model</c> (any active model's name, or <c>name@version</c>), <c>online</c>; any other name is a label.
/// Values compare as slugs (case and punctuation ignored), and a <c>board</c> value matches a whole-word run of the
/// board string, so <c>board=jetson-orin-nano</c> matches "NVIDIA Jetson Orin Nano Developer Kit".
/// </summary>
internal sealed class GroupSelector
{
    private static readonly string[] BuiltInNames = ["device", "fleet", "board", "os", "arch", "agent", "sdk", "model", "online"];

    private readonly IReadOnlyList<SelectorTerm> _terms;

    private GroupSelector(string text, IReadOnlyList<SelectorTerm> terms)
    {
        Text = text;
        _terms = terms;
    }

    public string Text { get; }

    /// <summary>Parses a selector, listing every malformed term at once.</summary>
    /// <exception cref="FormatException">A term is not <c>name=value</c> or <c>name!=value</c>.</exception>
    public static GroupSelector Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new List<string>();
        var terms = new List<SelectorTerm>();
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var negated = raw.Contains("!=", StringComparison.Ordinal);
            var parts = raw.Split(negated ? "!=" : "=", 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0 || parts[1].Contains('=', StringComparison.Ordinal))
            {
                errors.Add($"'{raw}'");
                continue;
            }

            terms.Add(new SelectorTerm(parts[0].ToLowerInvariant(), parts[1].Split('|', StringSplitOptions.TrimEntries), negated));
        }

        if (errors.Count > 0 || terms.Count == 0)
        {
            throw new FormatException(
                $"Invalid group selector '{text}': {(errors.Count > 0 ? "malformed term(s) " + string.Join(", ", errors) : "no terms")}; expected comma-separated name=value or name!=value terms, e.g. board=jetson-orin-nano,site=lobby.");
        }

        return new GroupSelector(text, terms);
    }

    public bool Matches(DeviceRecord device)
    {
        foreach (var term in _terms)
        {
            var any = term.Values.Any(value => TermMatches(term.Name, value, device));
            if (any == term.Negated)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Names the selector uses that are neither built in nor a label of any known device (likely typos).</summary>
    public IReadOnlyList<string> UnknownNames(IEnumerable<DeviceRecord> devices)
    {
        var labels = devices.SelectMany(d => d.Labels.Keys).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return _terms.Select(t => t.Name).Where(n => !BuiltInNames.Contains(n) && !labels.Contains(n)).Distinct().ToArray();
    }

    private static bool TermMatches(string name, string value, DeviceRecord device) => name switch
    {
        "device" => SlugMatches(device.Device, value),
        "fleet" => SlugMatches(device.Fleet, value),
        "board" => device.Board is { } board && (SlugMatches(board, value) || ContainsWords(Slug(board), Slug(value))),
        "os" => device.Os is { } os && (SlugMatches(os, value) || ContainsWords(Slug(os), Slug(value))),
        "arch" or "architecture" => SlugMatches(device.Architecture, value),
        "agent" or "agentversion" => SlugMatches(device.AgentVersion, value),
        "sdk" or "sdkversion" => SlugMatches(device.SdkVersion, value),
        "model" => device.Models.Any(m => SlugMatches(m.Name, value) || SlugMatches($"{m.Name}@{m.Version}", value)),
        "online" => SlugMatches(device.Online ? "true" : "false", value),
        _ => device.Labels.TryGetValue(name, out var label) && SlugMatches(label, value),
    };

    private static bool SlugMatches(string? actual, string pattern) =>
        actual is not null && (pattern.Contains('*', StringComparison.Ordinal) ? Glob(Slug(actual), Slug(pattern, keepStar: true)) : Slug(actual) == Slug(pattern));

    private static bool ContainsWords(string slug, string words) =>
        words.Length > 0 && ("-" + slug + "-").Contains("-" + words + "-", StringComparison.Ordinal);

    /// <summary>Lower case; every run of characters other than letters, digits, '.' and '@' becomes one '-'.</summary>
    internal static string Slug(string text, bool keepStar = false)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Trim())
        {
            if (char.IsLetterOrDigit(c) || c is '.' or '@' || (keepStar && c == '*'))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        return builder.ToString().Trim('-');
    }

    private static bool Glob(string text, string pattern)
    {
        var parts = pattern.Split('*');
        var position = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (i == 0)
            {
                if (!text.StartsWith(part, StringComparison.Ordinal))
                {
                    return false;
                }

                position = part.Length;
                continue;
            }

            if (i == parts.Length - 1)
            {
                return text.Length - position >= part.Length && text.EndsWith(part, StringComparison.Ordinal);
            }

            var found = text.IndexOf(part, position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + part.Length;
        }

        return text.Length == position;
    }

    private sealed record SelectorTerm(string Name, IReadOnlyList<string> Values, bool Negated);
}
