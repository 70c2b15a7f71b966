using Edge.Protocol;

namespace Edge.Optimizer.Search.Device;

/// <summary>One candidate's figures on one device, from its bench job.</summary>
/// <param name="Device">The device id.</param>
/// <param name="Hardware">The device's hardware class.</param>
/// <param name="Provider">The execution provider the candidate ran on.</param>
/// <param name="Runs">Timed runs.</param>
/// <param name="P50Ms">Median run time on the device.</param>
/// <param name="P95Ms">95th percentile run time on the device.</param>
/// <param name="RatioToOriginal">p50 against the original's on this device (see <see cref="DeviceMeasurement.RatioToOriginal"/>).</param>
/// <param name="Baseline">What the candidate is compared with in the passport: the model the device served, timed beside it in the same job, or, when it served none, the original (timed in its own job).</param>
/// <param name="BaselineP50Ms">The baseline's p50 on the device.</param>
/// <param name="BaselineP95Ms">The baseline's p95 on the device.</param>
/// <param name="MeasuredUtc">When the device reported the candidate's figures.</param>
internal sealed record DeviceFigure(
    string Device, HardwareFacts Hardware, string Provider, int Runs, double P50Ms, double P95Ms, double RatioToOriginal,
    ModelFact Baseline, double BaselineP50Ms, double BaselineP95Ms, DateTimeOffset MeasuredUtc);
