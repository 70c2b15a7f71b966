namespace Edge.Agent;

/// <summary>A model the device app runs.</summary>
public sealed class ActiveModelOptions
{
    /// <summary>Model name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Model version.</summary>
    public string Version { get; set; } = string.Empty;
}
