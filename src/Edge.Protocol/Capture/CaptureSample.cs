namespace Edge.Protocol.Capture;

/// <summary>One sampled inference call: the model's input and the output the app received (encoded by <see cref="CaptureSampleCodec"/>).</summary>
/// <param name="Model">The served model's package name.</param>
/// <param name="Version">The served model's package version.</param>
/// <param name="Sequence">The device's capture sequence number, from 1, increasing along its ring (oldest first).</param>
/// <param name="CapturedAt">When the call was sampled (the device's clock, UTC).</param>
/// <param name="Input">The input tensor after the app's preprocessing.</param>
/// <param name="Output">The output tensor.</param>
public sealed record CaptureSample(string Model, string Version, long Sequence, DateTimeOffset CapturedAt, CaptureTensor Input, CaptureTensor Output)
{
    /// <summary>The raw frame the app attached to the call, when the device keeps raw frames; otherwise null.</summary>
    public CaptureRawFrame? RawFrame { get; init; }
}
