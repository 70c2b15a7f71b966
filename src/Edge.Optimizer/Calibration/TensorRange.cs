namespace Edge.Optimizer.Calibration;

/// <summary>The float interval an activation is quantized over; <see cref="Min"/> &lt;= 0 &lt;= <see cref="Max"/> is not required here.</summary>
internal readonly record struct TensorRange(float Min, float Max)
{
    /// <summary>The smallest interval that covers both ranges.</summary>
    public TensorRange Union(TensorRange other) => new(Math.Min(Min, other.Min), Math.Max(Max, other.Max));
}
