using Edge.Sdk.Inference;

namespace Edge.Agent.Ota.Shadow;

/// <summary>One sampled live call, copied off the app's thread: its input and the served model's output.</summary>
internal abstract class ShadowSample
{
    /// <summary>The served model's output as floats.</summary>
    public abstract float[] ServedOutput();

    /// <summary>Runs <paramref name="candidate"/> on the same input (left out of the metrics) and returns its first output as floats.</summary>
    public abstract float[] RunCandidate(EdgeSession candidate);
}
