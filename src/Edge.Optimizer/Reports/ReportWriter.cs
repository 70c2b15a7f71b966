using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Edge.Optimizer.Reports;

/// <summary>
/// Writes a report as JSON and as Markdown side by side (<c>report.json</c> and <c>report.md</c>). The Markdown is
/// derived from the JSON alone, so any pass can report by building a <see cref="JsonObject"/>: scalars become a
/// key/value table, nested objects become sections, arrays of objects become tables whose columns are the union of
/// their keys (nested values flattened as <c>parent.child</c>).
/// </summary>
internal static class ReportWriter
{
    /// <summary>Writes both files; <paramref name="path"/> may name either (.json or .md) and the other goes beside it. Returns the two paths.</summary>
    public static async Task<(string Json, string Markdown)> WriteAsync(JsonObject report, string title, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var extension = Path.GetExtension(path);
        var json = extension.Equals(".md", StringComparison.OrdinalIgnoreCase) ? Path.ChangeExtension(path, ".json") : path;
        var markdown = extension.Equals(".md", StringComparison.OrdinalIgnoreCase) ? path : Path.ChangeExtension(path, ".md");
        var folder = Path.GetDirectoryName(Path.GetFullPath(json));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        // Both writers work on their own finite copy (ReportJson), so the caller's tree is left as it was.
        await File.WriteAllTextAsync(json, ReportJson.Write(report), cancellationToken);
        await File.WriteAllTextAsync(markdown, ToMarkdown(report, title), cancellationToken);
        return (json, markdown);
    }

    public static string ToMarkdown(JsonObject report, string title)
    {
        ArgumentNullException.ThrowIfNull(report);
        report = (JsonObject)ReportJson.Finite(report.DeepClone())!;
        var text = new StringBuilder();
        text.Append("# ").AppendLine(title).AppendLine();
        WriteSection(text, report, 2);
        return text.ToString();
    }

    /// <summary>Appends <paramref name="section"/> the way <see cref="ToMarkdown"/> does, its headings starting at <paramref name="level"/>.</summary>
    public static void AppendSection(StringBuilder text, JsonObject section, int level)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(section);
        WriteSection(text, (JsonObject)ReportJson.Finite(section.DeepClone())!, level);
    }

    private static void WriteSection(StringBuilder text, JsonObject section, int level)
    {
        var scalars = section.Where(p => p.Value is null or JsonValue || IsScalarArray(p.Value)).ToList();
        if (scalars.Count > 0)
        {
            text.AppendLine("| | |").AppendLine("|---|---|");
            foreach (var (key, value) in scalars)
            {
                text.Append("| ").Append(Escape(key)).Append(" | ").Append(Escape(Format(value))).AppendLine(" |");
            }

            text.AppendLine();
        }

        foreach (var (key, value) in section.Where(p => !scalars.Contains(p)))
        {
            text.Append(new string('#', Math.Min(level, 6))).Append(' ').AppendLine(key).AppendLine();
            switch (value)
            {
                case JsonObject nested:
                    WriteSection(text, nested, level + 1);
                    break;
                case JsonArray array:
                    WriteTable(text, array);
                    break;
            }
        }
    }

    private static void WriteTable(StringBuilder text, JsonArray rows)
    {
        if (rows.Count == 0)
        {
            text.AppendLine("(none)").AppendLine();
            return;
        }

        var flattened = rows.Select(r => Flatten(r as JsonObject ?? new JsonObject { ["value"] = r?.DeepClone() })).ToList();
        var columns = flattened.SelectMany(r => r.Keys).Distinct(StringComparer.Ordinal).ToList();
        text.Append("| ").Append(string.Join(" | ", columns.Select(Escape))).AppendLine(" |");
        text.Append('|').Append(string.Concat(columns.Select(_ => "---|"))).AppendLine();
        foreach (var row in flattened)
        {
            text.Append("| ").Append(string.Join(" | ", columns.Select(c => Escape(row.TryGetValue(c, out var v) ? v : "")))).AppendLine(" |");
        }

        text.AppendLine();
    }

    private static Dictionary<string, string> Flatten(JsonObject row, string prefix = "")
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in row)
        {
            if (value is JsonObject nested)
            {
                foreach (var (k, v) in Flatten(nested, prefix + key + "."))
                {
                    result[k] = v;
                }
            }
            else
            {
                result[prefix + key] = Format(value);
            }
        }

        return result;
    }

    private static bool IsScalarArray(JsonNode? node) => node is JsonArray array && array.All(e => e is null or JsonValue);

    private static string Format(JsonNode? value) => value switch
    {
        null => "",
        JsonArray { Count: 0 } => "(none)",
        JsonArray array => string.Join(", ", array.Select(Format)),
        JsonValue v when v.TryGetValue<double>(out var d) => d == Math.Floor(d) && Math.Abs(d) < 1e15 ? d.ToString("0", CultureInfo.InvariantCulture) : d.ToString("0.####", CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => value.ToJsonString(),
    };

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
