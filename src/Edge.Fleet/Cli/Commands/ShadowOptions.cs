using System.CommandLine;

namespace Edge.Fleet.Cli.Commands;

/// <summary>
/// <c>deploy --shadow 10% [--min-agreement 0.98] [--shadow-samples 500] [--shadow-max-latency-ratio 1.5]
/// [--shadow-timeout 1h]</c>: the job's <c>shadow</c> section (docs/ota.md, "Shadow evaluation"). Options not given
/// keep the protocol's defaults (<see cref="OtaShadowRequest"/>); any of them without <c>--shadow</c> is a usage error.
/// </summary>
internal static class ShadowOptions
{
    public static Option<string?> Shadow { get; } = new("--shadow")
    {
        Description = "Shadow each device's candidate on this share of the app's live calls (10% or 0.1) before it serves; it promotes only on agreement.",
    };

    public static Option<string?> MinAgreement { get; } = new("--min-agreement")
    {
        Description = "With --shadow: lowest agreement with the served model (0.98 or 98%; default 0.98); a wave whose pooled agreement is lower aborts the rollout.",
    };

    public static Option<int?> Samples { get; } = new("--shadow-samples") { Description = "With --shadow: compared samples before a device decides (default 500)." };

    public static Option<double?> MaxLatencyRatio { get; } = new("--shadow-max-latency-ratio")
    {
        Description = "With --shadow: highest candidate p95 over served p95 during the shadow (default 1.5).",
    };

    public static Option<string?> Timeout { get; } = new("--shadow-timeout") { Description = "With --shadow: longest a shadow may take, e.g. 30m or 1h (default 1h); fewer samples by then reject the candidate." };

    /// <summary>Every shadow option, for adding to a command.</summary>
    public static IEnumerable<Option> All => [Shadow, MinAgreement, Samples, MaxLatencyRatio, Timeout];

    /// <summary>
    /// The shadow request the options ask for, or null without <c>--shadow</c>. Every problem is added to
    /// <paramref name="errors"/> (an option without <c>--shadow</c>, an unreadable value, a value out of range).
    /// </summary>
    public static OtaShadowRequest? Parse(ParseResult parse, List<string> errors)
    {
        (Option Option, string Name)[] settings =
            [(MinAgreement, "--min-agreement"), (Samples, "--shadow-samples"), (MaxLatencyRatio, "--shadow-max-latency-ratio"), (Timeout, "--shadow-timeout")];
        var given = settings.Where(s => parse.GetResult(s.Option) is { Implicit: false }).Select(s => s.Name).ToList();
        if (parse.GetValue(Shadow) is not { } fraction)
        {
            if (given.Count > 0)
            {
                errors.Add($"{string.Join(", ", given)}: only with --shadow (they set how the candidate is shadowed).");
            }

            return null;
        }

        var defaults = new OtaShadowRequest();
        return new OtaShadowRequest
        {
            SampleFraction = FleetCommandOptions.ReadOrList(() => FleetCommandOptions.Fraction(fraction, "--shadow"), defaults.SampleFraction, errors),
            MinAgreement = parse.GetValue(MinAgreement) is { } agreement
                ? FleetCommandOptions.ReadOrList(() => FleetCommandOptions.Fraction(agreement, "--min-agreement"), defaults.MinAgreement, errors)
                : defaults.MinAgreement,
            MinSamples = parse.GetValue(Samples) ?? defaults.MinSamples,
            MaxLatencyRatio = parse.GetValue(MaxLatencyRatio) ?? defaults.MaxLatencyRatio,
            TimeoutSeconds = parse.GetValue(Timeout) is { } timeout
                ? FleetCommandOptions.ReadOrList(() => FleetCommandOptions.Duration(timeout, "--shadow-timeout").TotalSeconds, defaults.TimeoutSeconds, errors)
                : defaults.TimeoutSeconds,
        };
    }
}
