namespace Edge.Fleet.Dashboard;

/// <summary>The JSON body of an action request; every member is optional.</summary>
internal sealed record DashboardActionRequest
{
    /// <summary>Why the operator acts, recorded in the store (abort). At most 500 characters.</summary>
    public string? Reason { get; init; }
}
