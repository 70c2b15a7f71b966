using System.Globalization;
using Edge.Agent.Hosting;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Drift;

/// <summary>Checks the <c>Drift</c> section; every problem is reported with the agent's other settings at start.</summary>
internal sealed class DriftOptionsValidator : IValidateOptions<EdgeAgentOptions>
{
    public const int MinWindowSamples = 10;
    public const int MaxWindowSamples = 10_000;
    public const int MaxQueueCapacity = 10_000;

    public ValidateOptionsResult Validate(string? name, EdgeAgentOptions options)
    {
        var drift = options.Drift;
        var errors = new List<string>();
        if (!(drift.SampleFraction > 0 && drift.SampleFraction <= 1))
        {
            errors.Add(Text($"Drift:SampleFraction must be above 0 and at most 1; got {drift.SampleFraction}."));
        }

        if (drift.WindowSamples is < MinWindowSamples or > MaxWindowSamples)
        {
            errors.Add(Text($"Drift:WindowSamples must be {MinWindowSamples} to {MaxWindowSamples}; got {drift.WindowSamples}."));
        }

        if (drift.QueueCapacity is < 1 or > MaxQueueCapacity)
        {
            errors.Add(Text($"Drift:QueueCapacity must be 1 to {MaxQueueCapacity}; got {drift.QueueCapacity}."));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
