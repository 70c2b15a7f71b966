using System.Globalization;
using Edge.Fleet.Monitoring;

namespace Edge.Fleet.Dashboard;

/// <summary>
/// The dashboard's KPI breach rule, judged on a device's latest sample in the window (all its model rows at that
/// instant): it breaches when any model reported errors (&gt; 0) or a p95 latency above
/// <see cref="DashboardOptions.MaxP95Ms"/>. A device with no telemetry in the window does not breach (it shows as
/// having no data); an offline device is counted as offline, not as a breach.
/// </summary>
internal static class BreachRule
{
    /// <summary>The readable reasons a device breaches (empty when it does not).</summary>
    /// <param name="rows">The device's rows, oldest first.</param>
    public static IReadOnlyList<string> Reasons(IReadOnlyList<TelemetryRow> rows, double? maxP95Ms)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var latest = rows[^1].At;
        var reasons = new List<string>();
        foreach (var row in rows.Where(r => r.At == latest))
        {
            var model = row.Model.Length == 0 ? "device" : $"{row.Model}@{row.Version}";
            if (row.Errors is > 0)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{model}: {row.Errors} errors in the latest sample"));
            }

            if (maxP95Ms is { } max && row.P95Ms is { } p95 && p95 > max)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{model}: p95 {p95:F1} ms above {max:F1} ms"));
            }
        }

        return reasons;
    }
}
