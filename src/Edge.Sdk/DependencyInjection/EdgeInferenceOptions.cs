using Edge.Sdk.Inference;

namespace Edge.Sdk.DependencyInjection;

/// <summary>What <c>AddEdgeInference</c> loads into the <see cref="ModelHost"/> singleton.</summary>
public sealed class EdgeInferenceOptions
{
    /// <summary>Path of the .onnx model to load at first use. Required.</summary>
    public string ModelPath { get; set; } = string.Empty;

    /// <summary>Session settings (provider, threads, warm-up, name and version).</summary>
    public EdgeSessionOptions Session { get; set; } = new();
}
