using Edge.Optimizer.Pipeline.Measurement;

namespace Edge.Optimizer.Pipeline;

/// <summary>A finished run: the recipe, each step's outcome, and the figures of the original and each step's model.</summary>
/// <param name="Recipe">The recipe that ran, paths resolved.</param>
/// <param name="Steps">Every step, in order, including those a resumed run skipped.</param>
/// <param name="Models">The original first, then each step's model, with what was measured; the source says how.</param>
/// <param name="FromStep">The first step this run executed (1 unless resumed).</param>
internal sealed record PipelineResult(Recipe Recipe, IReadOnlyList<StepOutcome> Steps, IReadOnlyList<ModelFigures> Models, int FromStep)
{
    /// <summary>Every warning of every step that ran, prefixed with the step.</summary>
    public IEnumerable<string> Warnings =>
        Steps.Where(s => s.Result is not null).SelectMany(s => s.Result!.Warnings.Select(w => Steps.Count > 1 ? $"step {s.Index} ({s.Pass}): {w}" : w));
}
