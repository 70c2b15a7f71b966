using Microsoft.ML.OnnxRuntime;

namespace Edge.Sdk.Inference;

/// <summary>How an <see cref="EdgeSession"/> is created. Validated on load; every problem is reported at once.</summary>
public sealed class EdgeSessionOptions
{
    /// <summary>Which execution provider to use. Default <see cref="ExecutionProvider.Auto"/>.</summary>
    public ExecutionProvider Provider { get; set; } = ExecutionProvider.Auto;

    /// <summary>CUDA settings, used by <see cref="ExecutionProvider.Cuda"/> and as TensorRT's fallback.</summary>
    public CudaProviderOptions Cuda { get; set; } = new();

    /// <summary>TensorRT settings.</summary>
    public TensorRtProviderOptions TensorRt { get; set; } = new();

    /// <summary>CPU threading settings.</summary>
    public CpuProviderOptions Cpu { get; set; } = new();

    /// <summary>
    /// Runs on zero-filled inputs before the session is returned, so the first real request does not pay for lazy
    /// allocation or engine building. Default 1; range 0..1000. Models with non-tensor inputs are not warmed up.
    /// </summary>
    public int WarmupRuns { get; set; } = 1;

    /// <summary>Name used in metrics and logs. Default: the file name without extension, or "model" for in-memory models.</summary>
    public string? ModelName { get; set; }

    /// <summary>Version used in metrics and logs. Default: the model's own version field, or "unknown" when the model declares none.</summary>
    public string? ModelVersion { get; set; }

    /// <summary>ONNX Runtime graph optimization level. Default <see cref="GraphOptimizationLevel.ORT_ENABLE_ALL"/>.</summary>
    public GraphOptimizationLevel OptimizationLevel { get; set; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>Clock for the inference duration metric. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Returns every problem with these options; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Provider))
        {
            errors.Add($"Provider must be one of {string.Join(", ", Enum.GetNames<ExecutionProvider>())}, but was {(int)Provider}.");
        }

        if (WarmupRuns is < 0 or > 1000)
        {
            errors.Add($"WarmupRuns must be in 0..1000, but was {WarmupRuns}.");
        }

        if (ModelName is not null && string.IsNullOrWhiteSpace(ModelName))
        {
            errors.Add("ModelName must not be blank when set.");
        }

        if (ModelVersion is not null && string.IsNullOrWhiteSpace(ModelVersion))
        {
            errors.Add("ModelVersion must not be blank when set.");
        }

        if (!Enum.IsDefined(OptimizationLevel))
        {
            errors.Add($"OptimizationLevel {(int)OptimizationLevel} is not a GraphOptimizationLevel value.");
        }

        if (Cuda is null || TensorRt is null || Cpu is null || TimeProvider is null)
        {
            errors.Add("Cuda, TensorRt, Cpu and TimeProvider must not be null.");
        }
        else
        {
            Cuda.Validate(errors);
            TensorRt.Validate(errors);
            Cpu.Validate(errors);
        }

        return errors;
    }

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(
                $"EdgeSessionOptions has {errors.Count} problem(s): {string.Join(" ", errors)}", "options");
        }
    }
}
