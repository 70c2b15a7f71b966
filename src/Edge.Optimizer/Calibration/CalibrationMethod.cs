namespace Edge.Optimizer.Calibration;

/// <summary>How an activation's quantization range is chosen from the statistics gathered on calibration data.</summary>
internal enum CalibrationMethod
{
    /// <summary>The smallest and largest values seen: no clipping, coarsest steps when there are outliers.</summary>
    MinMax,

    /// <summary>Clips the magnitude at a percentile of |x| (default 99.999), trading rare outliers for finer steps.</summary>
    Percentile,

    /// <summary>Chooses the clipping magnitude that minimises the KL divergence between the float and 8-bit distributions of |x|.</summary>
    Entropy,

    /// <summary>Chooses the clipping magnitude that minimises the expected squared error (rounding plus clipping) over the |x| histogram.</summary>
    Mse,
}
