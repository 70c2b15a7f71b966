using System.Globalization;

namespace Edge.Optimizer.Passes.Prune.Sensitivity;

/// <summary>
/// Measures each unit's accuracy drop when pruned alone at several ratios, then raises units' ratios greedily,
/// cheapest accuracy first, until the size-weighted sparsity reaches the target, never taking a step whose own drop
/// exceeds the budget. The combined model is then measured; while it misses the budget the last steps are undone.
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
            log.WriteLine(string.Create(c, $"sensitivity {unit.Label}: {string.Join(", ", points.Select(p => $"{p.Ratio:P0} -> -{p.Drop:F2} pt"))}"));
        }

        var level = curves.ToDictionary(curve => curve.Unit.Key, _ => -1);
        var steps = new List<string>();
        var total = Math.Max(1, units.Sum(u => u.Size));
        double Achieved() => curves.Sum(curve => level[curve.Unit.Key] < 0 ? 0 : curve.Unit.Size * curve.Points[level[curve.Unit.Key]].Ratio) / total;
        while (Achieved() < target)
        {
            // The next step of every unit whose own drop stays in budget; the cheapest per unit of size goes first.
            var next = curves
                .Where(curve => level[curve.Unit.Key] + 1 < curve.Points.Count && curve.Points[level[curve.Unit.Key] + 1].Drop <= maxDrop)
                .OrderBy(curve => Math.Max(0, curve.Points[level[curve.Unit.Key] + 1].Drop))
                .ThenByDescending(curve => curve.Unit.Size)
                .FirstOrDefault();
            if (next is null)
            {
                break;
            }

            level[next.Unit.Key]++;
            steps.Add(next.Unit.Key);
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
