namespace Edge.Agent;

/// <summary>
/// Field-data capture (docs/agent.md, "Field data capture"): a sampled, bounded ring of the served model's inputs and
/// outputs on disk, readable by the agent's user only, that <c>edge-fleet capture pull</c> turns into a calibration
/// set. Off by default; the fleet can switch it per device (<c>capture-config</c>), and that choice is kept in
/// <see cref="Directory"/> across restarts, where it overrides these settings.
/// </summary>
public sealed class CaptureOptions
{
    /// <summary>Whether calls are sampled. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>Fraction of the served model's calls kept, above 0 and at most 1 (every call). Default 0.01 (one call in 100).</summary>
    public double SampleFraction { get; set; } = 0.01;

    /// <summary>Most samples kept, 1 to 1,000,000; past it the oldest are deleted (and counted). Default 1,000.</summary>
    public int MaxSamples { get; set; } = 1000;

    /// <summary>Most bytes of sample files kept, 4 KiB or more; past it the oldest are deleted (and counted). Default 64 MiB.</summary>
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Whether a sample also keeps the raw frame the app attached to the call (<c>RawFrames.Attach</c> in the SDK: the
    /// camera's JPEG before preprocessing). Frames can show people and places, so this is a second opt-in. Default false.
    /// </summary>
    public bool RawFrames { get; set; }

    /// <summary>Largest raw frame kept, 1 byte to 64 MiB; a larger one is left out of its sample (and counted). Default 4 MiB.</summary>
    public int MaxRawFrameBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Samples waiting for the disk writer, 1 to 10,000; a sample that finds the queue full is dropped and counted. Default 64.</summary>
    public int QueueCapacity { get; set; } = 64;

    /// <summary>The capture folder (made with mode 0700); default <c>capture</c> under the agent's state folder (<see cref="AgentStateDirectory"/>).</summary>
    public string? Directory { get; set; }
}
