using System.Globalization;

namespace Edge.Optimizer.Passes.Prune.Sensitivity;

/// <summary>
/// Measures each unit's accuracy drop when pruned alone at several ratios, then raises units' ratios greedily,
/// cheapest accuracy per removed channel or weight first, until the size-weighted sparsity reaches the target or the
/// summed drops would exceed the budget. The combined model is then measured; while it misses the budget the last
/// steps are undone.
/// </summary>
internal static class SensitivityAnalyzer
{
    private const int MaxBackoffSteps = 8;

    /// <param name="units">What can be pruned independently.</param>
    /// <param name="ratios">Ratios tried per unit.</param>
    /// <param name="target">Requested size-weighted sparsity.</param>
    /// <param name="maxDrop">Accuracy budget in percentage points.</param>
    /// <param name="score">Accuracy in percent of the model pruned with the given per-unit ratios (others whole).</param>
    /// <param name="log">Progress lines for a person.</param>
    /// <param name="cancellationToken">Stops between evaluations.</param>
    public static SensitivityResult Run(
        IReadOnlyList<SensitivityUnit> units,
        IReadOnlyList<double> ratios,
        double target,
        double maxDrop,
        Func<IReadOnlyDictionary<string, double>, double> score,
        TextWriter log,
        CancellationToken cancellationToken)
    {
        var c = CultureInfo.InvariantCulture;
        var baseScore = score(new Dictionary<string, double>());
        var curves = new List<SensitivityCurve>();
        foreach (var unit in units)
        {
            var points = new List<SensitivityPoint>();
            foreach (var ratio in ratios.Order())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var measured = score(new Dictionary<string, double> { [unit.Key] = ratio });
                points.Add(new SensitivityPoint(ratio, measured, baseScore - measured));
            }

            curves.Add(new SensitivityCurve(unit, points));
            log.WriteLine(string.Create(c, $"sensitivity {unit.Label}: {string.Join(", ", points.Select(p => $"{p.Ratio:P0}: {-p.Drop:+0.00;-0.00} pt"))}"));
        }

        var level = curves.ToDictionary(curve => curve.Unit.Key, _ => -1);
        var steps = new List<string>();
        var total = Math.Max(1, units.Sum(u => u.Size));
        double Achieved() => curves.Sum(curve => level[curve.Unit.Key] < 0 ? 0 : curve.Unit.Size * curve.Points[level[curve.Unit.Key]].Ratio) / total;
        double DropAt(SensitivityCurve curve, int at) => at < 0 ? 0 : Math.Max(0, curve.Points[at].Drop);

        // Drops of separately pruned units roughly add up, so the estimate of the combined drop is their sum.
        var estimate = 0.0;
        while (Achieved() < target)
        {
            var next = curves
                .Where(curve => level[curve.Unit.Key] + 1 < curve.Points.Count)
                .Select(curve =>
                {
                    var at = level[curve.Unit.Key];
                    var extraDrop = DropAt(curve, at + 1) - DropAt(curve, at);
                    var extraRemoved = curve.Unit.Size * (curve.Points[at + 1].Ratio - (at < 0 ? 0 : curve.Points[at].Ratio));
                    return (Curve: curve, ExtraDrop: extraDrop, Cost: extraDrop / Math.Max(extraRemoved, 1e-9));
                })
                .Where(step => estimate + step.ExtraDrop <= maxDrop)
                .OrderBy(step => step.Cost)
                .ThenByDescending(step => step.Curve.Unit.Size)
                .FirstOrDefault();
            if (next.Curve is null)
            {
                break;
            }

            level[next.Curve.Unit.Key]++;
            estimate += next.ExtraDrop;
            steps.Add(next.Curve.Unit.Key);
        }

        Dictionary<string, double> Chosen() => curves.ToDictionary(curve => curve.Unit.Key, curve => level[curve.Unit.Key] < 0 ? 0 : curve.Points[level[curve.Unit.Key]].Ratio);
        var finalScore = score(Chosen());
        var backoff = 0;
        while (baseScore - finalScore > maxDrop && steps.Count > 0 && backoff++ < MaxBackoffSteps)
        {
            level[steps[^1]]--;
            steps.RemoveAt(steps.Count - 1);
            finalScore = score(Chosen());
        }

        var achieved = Achieved();
        var withinBudget = baseScore - finalScore <= maxDrop;
        var met = achieved >= target - 1e-9 && withinBudget;
        var note = met
            ? string.Create(c, $"Reached {achieved:P1} sparsity with a measured drop of {baseScore - finalScore:F2} points (budget {maxDrop:F2}).")
            : string.Create(c, $"Target {target:P1} not reached within the {maxDrop:F2}-point budget: chose {achieved:P1} sparsity, measured drop {baseScore - finalScore:F2} points; the best model found is saved.");
        return new SensitivityResult(baseScore, curves, Chosen(), achieved, finalScore, met, note);
    }
}
