using System.Globalization;
using Edge.Onnx;
using Edge.Optimizer.Calibration;
using Edge.Optimizer.Evaluation;
using Edge.Optimizer.Passes.Quantize.Static;

namespace Edge.Optimizer.Passes.Quantize.AccuracyRecovery;

/// <summary>
/// Meets <c>--max-accuracy-drop</c>: evaluates the fully quantized model, then puts the most harmful layers back to
/// float one at a time (largest SQNR loss of the layer itself first, cumulatively), re-quantizing from the same calibration and re-evaluating,
/// until the drop is within the target or the step budget is spent. The best model found is always returned, with an
/// explanation, whether or not the target was met; among candidates that meet it, the first (fewest float layers, so
/// the fastest) wins.
/// </summary>
internal static class AccuracySearch
{
    public const int MaxSteps = 8;

    public static SearchOutcome Run(
        OnnxModel prepared,
        CalibrationResult calibration,
        QuantizeOptions options,
        StaticQuantizationResult first,
        IReadOnlyList<LayerError> ranking,
        CandidateEvaluator evaluator,
        double target,
        Action<string> log,
        CancellationToken cancellationToken)
    {
        var steps = new List<SearchStep>();
        var excluded = new List<string>();
        var best = (Result: first, Evaluation: evaluator.Evaluate(first.Model, null, cancellationToken), Excluded: (IReadOnlyList<string>)[]);
        steps.Add(Step(evaluator, best.Evaluation, []));
        log($"all layers quantized: {evaluator.DropMetric} drop {evaluator.Drop(best.Evaluation).ToString("0.00", CultureInfo.InvariantCulture)} points");
        var candidates = ranking.OrderByDescending(l => l.LossDecibels).Select(l => l.Node).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        foreach (var node in candidates)
        {
            if (evaluator.Drop(best.Evaluation) <= target || steps.Count > MaxSteps)
            {
                break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            excluded.Add(node);
            var attempt = StaticQuantizer.Quantize(prepared, calibration, options with { ExcludeNodes = [.. options.ExcludeNodes, .. excluded] });
            var evaluation = evaluator.Evaluate(attempt.Model, null, cancellationToken);
            steps.Add(Step(evaluator, evaluation, excluded));
            log($"float: {string.Join(", ", excluded)} -> drop {evaluator.Drop(evaluation).ToString("0.00", CultureInfo.InvariantCulture)} points");
            if (evaluator.Drop(evaluation) < evaluator.Drop(best.Evaluation))
            {
                best = (attempt, evaluation, [.. excluded]);
            }
        }

        var bestDrop = evaluator.Drop(best.Evaluation);
        var met = bestDrop <= target;
        var explanation = met
            ? best.Excluded.Count == 0
                ? $"The fully quantized model is within the target: {evaluator.DropMetric} drops {Points(bestDrop)} (target {Points(target)})."
                : $"Keeping {best.Excluded.Count} layer(s) in float ({string.Join(", ", best.Excluded)}), chosen by the SQNR each loses, brings the {evaluator.DropMetric} drop to {Points(bestDrop)} (target {Points(target)})."
            : $"The target of {Points(target)} was not met after {steps.Count - 1} exclusion step(s). The best model found drops {Points(bestDrop)} of {evaluator.DropMetric}" +
              (best.Excluded.Count == 0 ? " with every layer quantized" : $" with {string.Join(", ", best.Excluded)} in float") +
              "; it was saved anyway. The remaining error is spread over many layers: try --method percentile, --per-channel, more calibration samples, or a looser target.";
        return new SearchOutcome(best.Result, best.Evaluation, best.Excluded, steps, met, explanation);
    }

    private static SearchStep Step(CandidateEvaluator evaluator, EvaluationResult evaluation, IReadOnlyList<string> excluded) =>
        new([.. excluded], evaluator.Drop(evaluation), evaluation.Top1, evaluation.Top1Agreement);

    private static string Points(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + " points";
}
