namespace Edge.Sdk.Inference;

/// <summary>How a <see cref="MicroBatcher{TInput, TOutput}"/> groups single-sample requests.</summary>
public sealed class MicroBatcherOptions
{
    /// <summary>Largest batch run at once. Default 8; range 1..4096.</summary>
    public int MaxBatchSize { get; set; } = 8;

    /// <summary>
    /// Longest a request waits for others to join its batch, counted from when the batch's first request is taken.
    /// Default 2 ms; range 0..10 s. Zero runs whatever is queued immediately.
    /// </summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Clock for <see cref="MaxDelay"/>. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Returns every problem with these options; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxBatchSize is < 1 or > 4096)
        {
            errors.Add($"MaxBatchSize must be in 1..4096, but was {MaxBatchSize}.");
        }

        if (MaxDelay < TimeSpan.Zero || MaxDelay > TimeSpan.FromSeconds(10))
        {
            errors.Add($"MaxDelay must be in 0..10 s, but was {MaxDelay}.");
        }

        if (TimeProvider is null)
        {
            errors.Add("TimeProvider must not be null.");
        }

        return errors;
    }
}
