namespace Edge.Agent.Drift;

/// <summary>
/// The <c>Drift</c> section: how the agent compares the served model's live inputs and confidences with the
/// reference statistics in its package (docs/agent.md, "Drift"). It does nothing for a package without a reference.
/// </summary>
public sealed class DriftOptions
{
    /// <summary>Whether drift statistics are kept when the served package carries a reference. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Fraction of the app's calls sampled into the window, in (0, 1]. Default 0.1.</summary>
    public double SampleFraction { get; set; } = 0.1;

    /// <summary>The window: how many of the most recent sampled calls the figures cover, 10 to 10000. Default 500.</summary>
    public int WindowSamples { get; set; } = 500;

    /// <summary>Sampled calls waiting for the background worker, 1 to 10000; a full queue drops and counts. Default 64.</summary>
    public int QueueCapacity { get; set; } = 64;
}
