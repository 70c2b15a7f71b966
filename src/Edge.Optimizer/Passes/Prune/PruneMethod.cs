namespace Edge.Optimizer.Passes.Prune;

/// <summary>How weights are removed.</summary>
internal enum PruneMethod
{
    /// <summary>Unstructured: zero the smallest weights. Pays in compressed size only; dense kernels still multiply the zeros.</summary>
    Magnitude,

    /// <summary>Structured: remove whole output channels by graph surgery, giving a smaller dense model.</summary>
    Channel,

    /// <summary>Semi-structured 2:4: in every 4 consecutive weights along the input dimension, 2 are zero.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("2:4")]
    SemiStructured,
}
