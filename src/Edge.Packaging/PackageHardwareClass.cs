using System.Text.Json.Serialization;

namespace Edge.Packaging;

/// <summary>
/// A hardware class in a package's passport: the facts that change how fast a model runs on a device. It mirrors the
/// hardware facts a device reports in its status (Edge.Protocol's <c>HardwareFacts</c>, which this library does not
/// reference), and <see cref="Key"/> is built the same way, so a device's key finds its entry with
/// <see cref="PackagePassport.Find"/>.
/// </summary>
public sealed class PackageHardwareClass
{
    /// <summary>The board model (for example <c>Raspberry Pi 5 Model B Rev 1.0</c>), or <c>generic-{architecture}</c>. Non-empty.</summary>
    public string Board { get; init; } = "";

    /// <summary>The CPU model (for example <c>Cortex-A76</c>), or <c>unknown</c>. Non-empty.</summary>
    public string CpuModel { get; init; } = "";

    /// <summary>Lowercase process architecture (<c>x64</c>, <c>arm64</c>). Non-empty.</summary>
    public string Architecture { get; init; } = "";

    /// <summary>Instruction-set extensions ONNX Runtime's kernels choose between (<c>avx2</c>, <c>asimddp</c>...): lowercase, distinct, in ordinal order, as devices report them. May be empty.</summary>
    public IReadOnlyList<string> IsaFlags { get; init; } = [];

    /// <summary>The ONNX Runtime version the figures were measured with. Non-empty.</summary>
    public string OnnxRuntimeVersion { get; init; } = "";

    /// <summary>The execution provider the figures were measured on, short lowercase (<c>cpu</c>, <c>cuda</c>). Non-empty.</summary>
    public string ExecutionProvider { get; init; } = "";

    /// <summary>
    /// One line naming the class, equal for equal facts: <c>architecture|board|cpu|flag,flag|ort|provider</c>, the
    /// format of a device's hardware key. Not stored in the manifest.
    /// </summary>
    [JsonIgnore]
    public string Key => string.Join('|', Architecture, Board, CpuModel, string.Join(',', IsaFlags), OnnxRuntimeVersion, ExecutionProvider);
}
