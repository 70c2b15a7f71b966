using Edge.Optimizer.Evaluation;

namespace Edge.Optimizer.Pipeline.Measurement;

/// <summary>One model of a run as the summary shows it. Null members were not measured.</summary>
/// <param name="Label">"original", or the step that made the model, for example <c>2 distill</c>.</param>
/// <param name="Path">The model file.</param>
/// <param name="Bytes">The model file plus its external data, in bytes.</param>
internal sealed record ModelFigures(string Label, string Path, long Bytes)
{
    /// <summary>Latency through the SDK, with its per-run samples.</summary>
    public LatencyStats? Latency { get; init; }

    /// <summary>Top-1 accuracy against the dataset's labels, in [0, 1].</summary>
    public double? Top1 { get; init; }

    /// <summary>Share of samples whose top-1 class equals the original's, in [0, 1]; null for the original itself.</summary>
    public double? Agreement { get; init; }

    /// <summary>Where the figures come from: <c>measured against the original</c>, or <c>the step's own measurement</c>.</summary>
    public string Source { get; init; } = "";

    /// <summary>The model file plus a <c>.data</c> external-data file beside it, if any (symbolic links followed).</summary>
    public static long FileBytes(string path) => Length(path) + (File.Exists(path + ".data") ? Length(path + ".data") : 0);

    private static long Length(string path)
    {
        var info = new FileInfo(path);
        return (info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info).Length;
    }
}
