namespace Edge.Optimizer.Pipeline.Measurement;

/// <summary>
/// The recipe's optional <c>measure</c> section: after the last step the runner measures the original and every
/// step's model side by side with these settings, so the report compares each against the original.
/// </summary>
internal sealed class MeasureOptions
{
    /// <summary>Evaluation dataset for top-1 accuracy (with labels) and top-1 agreement with the original. Null: not measured.</summary>
    [RecipePath(RecipePathKind.Dataset)]
    public string? Eval { get; init; }

    /// <summary>Preprocessing spec for image datasets.</summary>
    [RecipePath(RecipePathKind.File)]
    public string? Preprocess { get; init; }

    /// <summary>Measured runs per model, interleaved across every model. 0: latency is not measured. Default 100.</summary>
    public int LatencyRuns { get; init; } = 100;

    /// <summary>Warm-up runs per model before measuring. Default 10.</summary>
    public int WarmupRuns { get; init; } = 10;

    /// <summary>ONNX Runtime intra-op threads. Default 2.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Every problem with these settings.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (LatencyRuns < 0)
        {
            errors.Add($"latency_runs must be 0 or more, but was {LatencyRuns}");
        }

        if (WarmupRuns < 0)
        {
            errors.Add($"warmup_runs must be 0 or more, but was {WarmupRuns}");
        }

        if (Threads < 1)
        {
            errors.Add($"threads must be at least 1, but was {Threads}");
        }

        return errors;
    }
}
