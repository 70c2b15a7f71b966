using System.Globalization;

namespace Edge.Packaging;

/// <summary>The schema checks on a manifest's <c>passport</c> (docs/package-format.md), part of <see cref="PackageManifestValidator"/>.</summary>
internal static class PackagePassportValidator
{
    private const int MaxTextLength = 200;

    public static void Check(List<string> errors, PackagePassport passport)
    {
        if (passport.Entries.Count > PackagePassport.MaxEntries)
        {
            errors.Add(Text($"passport.entries holds {passport.Entries.Count} entries, at most {PackagePassport.MaxEntries} are allowed"));
        }

        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < passport.Entries.Count; i++)
        {
            var entry = passport.Entries[i];
            var field = Text($"passport.entries[{i}]");
            CheckHardware(errors, field + ".hardware", entry.Hardware);
            if (keys.TryGetValue(entry.Hardware.Key, out var first))
            {
                errors.Add(Text($"{field}.hardware is the same class as passport.entries[{first}] ('{entry.Hardware.Key}'); a passport holds one entry per hardware class"));
            }
            else
            {
                keys.Add(entry.Hardware.Key, i);
            }

            CheckText(errors, field + ".source", entry.Source, "'device:{id}' or 'local'");
            if (entry.MeasuredUtc == default || entry.MeasuredUtc.Offset != TimeSpan.Zero)
            {
                errors.Add($"{field}.measuredUtc '{entry.MeasuredUtc:O}' must be set and in UTC");
            }

            CheckText(errors, field + ".baseline.name", entry.Baseline.Name, "the compared model's name");
            CheckText(errors, field + ".baseline.version", entry.Baseline.Version, "the compared model's version");
            CheckLatencies(errors, field, "p50Ms", entry.P50Ms, "p95Ms", entry.P95Ms);
            CheckLatencies(errors, field, "baselineP50Ms", entry.BaselineP50Ms, "baselineP95Ms", entry.BaselineP95Ms);
            CheckRatio(errors, field, entry);
            if (entry.Accuracy is { } accuracy)
            {
                CheckAccuracy(errors, field + ".accuracy", accuracy);
            }
        }
    }

    private static void CheckHardware(List<string> errors, string field, PackageHardwareClass hardware)
    {
        CheckKeyPart(errors, field + ".board", hardware.Board);
        CheckKeyPart(errors, field + ".cpuModel", hardware.CpuModel);
        CheckKeyPart(errors, field + ".architecture", hardware.Architecture);
        CheckKeyPart(errors, field + ".onnxRuntimeVersion", hardware.OnnxRuntimeVersion);
        CheckKeyPart(errors, field + ".executionProvider", hardware.ExecutionProvider);
        if (hardware.Architecture.Length > 0 && hardware.Architecture.Any(char.IsUpper))
        {
            errors.Add($"{field}.architecture '{hardware.Architecture}' must be lowercase, such as 'x64' or 'arm64'");
        }

        if (hardware.ExecutionProvider.Length > 0 && hardware.ExecutionProvider != PackageDeviceDescription.NormalizeProvider(hardware.ExecutionProvider))
        {
            errors.Add($"{field}.executionProvider '{hardware.ExecutionProvider}' must be a short lowercase name such as 'cpu' or 'cuda'");
        }

        foreach (var flag in hardware.IsaFlags.Where(f => f.Length == 0 || f.Any(c => char.IsUpper(c) || c is ',' or '|' || char.IsWhiteSpace(c))))
        {
            errors.Add($"{field}.isaFlags has '{flag}', expected a non-empty lowercase name without ',', '|' or spaces");
        }

        var ordered = hardware.IsaFlags.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        if (!ordered.SequenceEqual(hardware.IsaFlags, StringComparer.Ordinal))
        {
            errors.Add($"{field}.isaFlags [{string.Join(", ", hardware.IsaFlags)}] must be distinct and in ordinal order, as devices report them");
        }
    }

    private static void CheckKeyPart(List<string> errors, string field, string value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxTextLength || value.Contains('|', StringComparison.Ordinal))
        {
            errors.Add(Text($"{field} '{value}' must be 1-{MaxTextLength} characters, not blank, without '|'"));
        }
    }

    private static void CheckText(List<string> errors, string field, string value, string expected)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxTextLength)
        {
            errors.Add(Text($"{field} '{value}' must be 1-{MaxTextLength} characters and not blank: {expected}"));
        }
    }

    private static void CheckLatencies(List<string> errors, string field, string p50Name, double p50, string p95Name, double p95)
    {
        var p50Valid = double.IsFinite(p50) && p50 > 0;
        var p95Valid = double.IsFinite(p95) && p95 > 0;
        if (!p50Valid)
        {
            errors.Add(Text($"{field}.{p50Name} is {p50}, expected a finite number of milliseconds greater than zero"));
        }

        if (!p95Valid)
        {
            errors.Add(Text($"{field}.{p95Name} is {p95}, expected a finite number of milliseconds greater than zero"));
        }

        if (p50Valid && p95Valid && p95 < p50)
        {
            errors.Add(Text($"{field}.{p95Name} {p95} is less than {p50Name} {p50}; a 95th percentile is at least the median"));
        }
    }

    private static void CheckRatio(List<string> errors, string field, PackagePassportEntry entry)
    {
        var expected = entry.P50Ms / entry.BaselineP50Ms;
        if (!double.IsFinite(entry.LatencyRatio) || !(entry.LatencyRatio > 0))
        {
            errors.Add(Text($"{field}.latencyRatio is {entry.LatencyRatio}, expected a finite number greater than zero (p50Ms / baselineP50Ms)"));
        }
        else if (double.IsFinite(expected) && expected > 0 && Math.Abs(entry.LatencyRatio - expected) > PackagePassportEntry.RatioTolerance * expected)
        {
            errors.Add(Text($"{field}.latencyRatio is {entry.LatencyRatio}, but p50Ms / baselineP50Ms is {expected:G6} ({entry.P50Ms} / {entry.BaselineP50Ms}); they must agree within 0.1%"));
        }
    }

    private static void CheckAccuracy(List<string> errors, string field, PackagePassportAccuracy accuracy)
    {
        CheckText(errors, field + ".metric", accuracy.Metric, "the metric's name, such as 'top1'");
        if (!double.IsFinite(accuracy.Value) || !double.IsFinite(accuracy.BaselineValue))
        {
            errors.Add(Text($"{field}.value {accuracy.Value} and baselineValue {accuracy.BaselineValue} must both be finite"));
        }

        if (!(accuracy.Agreement is >= 0 and <= 1))
        {
            errors.Add(Text($"{field}.agreement is {accuracy.Agreement}, expected a share from 0 to 1"));
        }
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
