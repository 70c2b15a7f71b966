namespace Edge.Agent;

/// <summary>Facts about the device software reported in the birth message.</summary>
public sealed class DeviceOptions
{
    /// <summary>Version of Edge.Sdk the device app uses; reported as given. Default <c>unknown</c>.</summary>
    public string SdkVersion { get; set; } = "unknown";

    /// <summary>Models the device app runs, with versions.</summary>
    public List<ActiveModelOptions> Models { get; set; } = [];
}
