namespace Edge.Fleet.Dashboard;

/// <summary>
/// One rendered page: its title, the live sections (id and encoded HTML, replaced in place by the event stream) and the
/// static action controls, which the stream leaves alone so a half-typed reason survives an update.
/// </summary>
internal sealed record DashboardPage(string Title, IReadOnlyList<(string Id, string Html)> Sections, string Actions = "");
