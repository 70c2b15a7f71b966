namespace Edge.Fleet.Dashboard;

/// <summary>The outcome of a dashboard action: an HTTP status and one readable line.</summary>
internal sealed record DashboardActionResult(int StatusCode, string Message);
