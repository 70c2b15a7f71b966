namespace Edge.Fleet.Dashboard;

/// <summary>
/// One message of the event stream (<c>event: snapshot</c>): the page's live sections as encoded HTML by section id.
/// <paramref name="Version"/> counts the snapshots sent on this stream, from 1.
/// </summary>
internal sealed record DashboardSnapshot(long Version, string Generated, IReadOnlyDictionary<string, string> Sections);
