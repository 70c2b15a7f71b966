namespace Edge.Agent;

/// <summary>An update about to be activated, as shown to <see cref="IOtaDeferHook"/>.</summary>
/// <param name="JobId">The job's id.</param>
/// <param name="ModelName">The package name.</param>
/// <param name="FromVersion">The version serving now, or null when none.</param>
/// <param name="ToVersion">The version the job installs.</param>
public sealed record OtaUpdate(string JobId, string ModelName, string? FromVersion, string ToVersion);
