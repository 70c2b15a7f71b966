namespace Edge.Optimizer.Search.Device;

/// <summary>One candidate's figures on one device, from its bench job.</summary>
/// <param name="Device">The device id.</param>
/// <param name="HardwareClass">The device's hardware class key (<c>HardwareFacts.Key</c>).</param>
/// <param name="CpuModel">The device's CPU model, for reading.</param>
/// <param name="Provider">The execution provider the candidate ran on.</param>
/// <param name="Runs">Timed runs.</param>
/// <param name="P50Ms">Median run time on the device.</param>
/// <param name="P95Ms">95th percentile run time on the device.</param>
/// <param name="RatioToOriginal">p50 against the original's on this device (see <see cref="DeviceMeasurement.RatioToOriginal"/>).</param>
/// <param name="Serving">The model the device served, timed beside it (<c>name version</c>), or null.</param>
/// <param name="ServingP50Ms">That model's p50 in the same job, or null.</param>
internal sealed record DeviceFigure(string Device, string HardwareClass, string CpuModel, string Provider, int Runs, double P50Ms, double P95Ms, double RatioToOriginal, string? Serving, double? ServingP50Ms);
