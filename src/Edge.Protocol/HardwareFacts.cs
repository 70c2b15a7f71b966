namespace Edge.Protocol;

/// <summary>
/// A device's hardware class: the facts that change how fast a model runs on it. Two devices with equal facts are
/// expected to rank candidate models alike, so the optimizer measures one device per class and a package's passport
/// (docs/package-format.md) holds one entry per class. Compare classes with <see cref="Key"/>.
/// </summary>
public sealed record HardwareFacts
{
    /// <summary>The board model (for example <c>Raspberry Pi 5 Model B Rev 1.0</c>), or <c>generic-{architecture}</c>.</summary>
    public required string Board { get; init; }

    /// <summary>The CPU model (for example <c>Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz</c> or <c>Cortex-A76</c>), or <c>unknown</c>.</summary>
    public required string CpuModel { get; init; }

    /// <summary>Lowercase process architecture (<c>x64</c>, <c>arm64</c>).</summary>
    public required string Architecture { get; init; }

    /// <summary>The instruction-set extensions ONNX Runtime's kernels choose between (AVX2, AVX-512 VNNI, NEON dot product, i8mm ...), lowercase and sorted.</summary>
    public required IReadOnlyList<string> IsaFlags { get; init; }

    /// <summary>The ONNX Runtime version the device runs models with.</summary>
    public required string OnnxRuntimeVersion { get; init; }

    /// <summary>The execution provider models run on, short lowercase (<c>cpu</c>, <c>cuda</c>, <c>tensorrt</c>).</summary>
    public required string ExecutionProvider { get; init; }

    /// <summary>One line naming the class; equal for equal facts: <c>architecture|board|cpu|flags|ort|provider</c>. Not sent: receivers derive it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Key => string.Join('|', Architecture, Board, CpuModel, string.Join(',', IsaFlags), OnnxRuntimeVersion, ExecutionProvider);
}
