namespace Edge.Optimizer.Reports;

/// <summary>One plot of a run's report.</summary>
/// <param name="Name">Its key in the JSON report's <c>plots</c> object, for example <c>latency</c>.</param>
/// <param name="Title">What it shows, the Markdown's alt text.</param>
/// <param name="Path">The image file.</param>
internal sealed record RunPlot(string Name, string Title, string Path);
