namespace Edge.Optimizer.Passes.Prune;

/// <summary>How the importance of an output channel is measured.</summary>
internal enum PruneCriterion
{
    /// <summary>Sum of absolute weights of the channel's filter.</summary>
    L1,

    /// <summary>Euclidean norm of the channel's filter.</summary>
    L2,

    /// <summary>Absolute scale (gamma) of the BatchNormalization that follows; L1 where no BatchNormalization follows.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("bn-gamma")]
    BnGamma,

    /// <summary>
    /// What removing the channel costs the layers that read it, measured on calibration data: its variance times the
    /// squared weights that read it (the mean is kept by bias compensation). Needs calibration samples.
    /// </summary>
    Activation,
}
