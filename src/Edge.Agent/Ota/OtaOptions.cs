namespace Edge.Agent;

/// <summary>
/// Over-the-air model updates (docs/ota.md). Off unless <see cref="Enabled"/>; when on, the agent serves the active
/// A/B slot's model through an <c>Edge.Sdk.Inference.ModelHost</c> and installs jobs from the broker.
/// </summary>
public sealed class OtaOptions
{
    /// <summary>Default for <see cref="MaxPackageBytes"/>: 2 GiB.</summary>
    public const long DefaultMaxPackageBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>Turns OTA on. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>Folder for slots, the active pointer, downloads and the job journal. Required when enabled; must be on one file system (renames are atomic).</summary>
    public string DataDirectory { get; set; } = string.Empty;

    /// <summary>Groups the device belongs to; it also takes jobs from <c>edge-groups/{fleet}/{group}/ota/job</c>. Each is one topic level.</summary>
    public IList<string> Groups { get; set; } = [];

    /// <summary>PEM files of the public keys whose package signatures are accepted. At least one unless <see cref="AllowUnsignedPackagesForDevelopmentOnly"/>.</summary>
    public IList<string> TrustedKeyFiles { get; set; } = [];

    /// <summary>
    /// PEM files of the operator public keys whose job signatures are accepted (docs/protocol.md, "Signed jobs"). At
    /// least one when enabled; jobs that are unsigned or signed by another key are refused. A separate key from
    /// <see cref="TrustedKeyFiles"/>: the package key says what a model is, the operator key says where and when it
    /// may go (including downgrades), and the two are held by different people and rotated separately.
    /// </summary>
    public IList<string> TrustedJobKeyFiles { get; set; } = [];

    /// <summary>Accepts unsigned packages (with a warning). Never in production. Default false.</summary>
    public bool AllowUnsignedPackagesForDevelopmentOnly { get; set; }

    /// <summary>A package installed into slot A at first start, when no slot is active yet; optional.</summary>
    public string? InitialPackage { get; set; }

    /// <summary>Execution provider for the served model and the health gate: <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>tensorrt</c>. Default <c>cpu</c>.</summary>
    public string Provider { get; set; } = "cpu";

    /// <summary>ONNX Runtime intra-op threads for the served model and the gate, 0 for ONNX Runtime's default. Default 1.</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Download rate limit in bytes per second; 0 for none. Default 0.</summary>
    public long BandwidthLimitBytesPerSecond { get; set; }

    /// <summary>Bytes a device may download per UTC day across jobs; 0 for no limit. A transfer that reaches it waits for the next day. Default 0.</summary>
    public long DailyDataBudgetBytes { get; set; }

    /// <summary>Free bytes that must remain on the data directory's disk after the download and the staged slot, 0 to 1 TiB. Default 64 MiB.</summary>
    public long DiskReserveBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Largest <c>package.size</c> a job may declare, in bytes, 1 to 1 TiB. A job above it is refused as invalid before
    /// anything is journaled, downloaded or allocated. Default 2 GiB.
    /// </summary>
    public long MaxPackageBytes { get; set; } = DefaultMaxPackageBytes;

    /// <summary>MQTT chunks requested ahead, 1-64. Default 8.</summary>
    public int ChunkWindow { get; set; } = 8;

    /// <summary>A chunk not answered within this time is requested again. Default 5 s.</summary>
    public TimeSpan ChunkTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Least time between two progress reports while downloading. Default 1 s.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest total time the app's defer hook may postpone an activation. Default 10 min.</summary>
    public TimeSpan MaxDeferral { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Agent restarts a job may survive before it is abandoned (a model that crashes the process cannot loop forever). Default 3.</summary>
    public int MaxJobRestarts { get; set; } = 3;

    /// <summary>
    /// Sampled live calls a shadow evaluation holds before its worker runs them on the candidate, 1-4096; a sampled call
    /// that finds the queue full is dropped (the app never waits) and counted. Default 8.
    /// </summary>
    public int ShadowQueueCapacity { get; set; } = 8;

    /// <summary>
    /// Memory a shadowed candidate is assumed to need, as a multiple of its package size (weights plus ONNX Runtime's
    /// arena and working buffers), 1-64: a shadow job is refused before download when MemAvailable is lower. Default 2.
    /// </summary>
    public double ShadowMemoryFactor { get; set; } = 2;
}
