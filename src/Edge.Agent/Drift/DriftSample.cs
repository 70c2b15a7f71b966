namespace Edge.Agent.Drift;

/// <summary>
/// One sampled call on its way to the worker: copies of the app's input and output (null when not float) with the
/// session's declared dimensions, and the window it belongs to (a swap starts a new window; late samples of the old
/// one land in the old one, which nothing reports any more).
/// </summary>
internal sealed record DriftSample(DriftWindow Window, float[]? Input, float[]? Output, IReadOnlyList<long> InputDimensions, IReadOnlyList<long> OutputDimensions);
