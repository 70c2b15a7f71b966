namespace Edge.Sdk.Processing.Postprocessing;

/// <summary>Settings for <see cref="NonMaxSuppression"/>.</summary>
public sealed record NmsOptions
{
    /// <summary>A box is dropped when its IoU with a kept, higher-scoring box of the same class exceeds this (0..1). Default 0.45.</summary>
    public float IouThreshold { get; init; } = 0.45f;

    /// <summary>Candidates scoring below this are ignored (0..1). Default 0.25.</summary>
    public float ScoreThreshold { get; init; } = 0.25f;

    /// <summary>At most this many detections are kept (at least 1). Default 100.</summary>
    public int MaxDetections { get; init; } = 100;

    /// <summary>When true (default) boxes only suppress boxes of the same class; when false any overlapping box is suppressed.</summary>
    public bool ClassAware { get; init; } = true;

    /// <summary>Throws listing every invalid setting.</summary>
    /// <exception cref="ArgumentException">A threshold is outside 0..1 or <see cref="MaxDetections"/> is below 1.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (!(IouThreshold is >= 0 and <= 1))
        {
            errors.Add($"IouThreshold is {IouThreshold}; expected 0..1.");
        }

        if (!(ScoreThreshold is >= 0 and <= 1))
        {
            errors.Add($"ScoreThreshold is {ScoreThreshold}; expected 0..1.");
        }

        if (MaxDetections < 1)
        {
            errors.Add($"MaxDetections is {MaxDetections}; expected at least 1.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid NMS options: {string.Join(" ", errors)}");
        }
    }
}
