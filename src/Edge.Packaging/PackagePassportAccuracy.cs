namespace Edge.Packaging;

/// <summary>
/// The accuracy side of a passport entry: one metric of the package's model and of the baseline, measured on the
/// same inputs in the same run, and how often the two models agreed.
/// </summary>
public sealed class PackagePassportAccuracy
{
    /// <summary>The metric's name (for example <c>top1</c> or <c>map50</c>). Non-empty.</summary>
    public string Metric { get; init; } = "";

    /// <summary>The package's model's value of <see cref="Metric"/>. Finite.</summary>
    public double Value { get; init; }

    /// <summary>The baseline's value of <see cref="Metric"/> on the same inputs. Finite.</summary>
    public double BaselineValue { get; init; }

    /// <summary>The share of inputs on which the package's model agrees with the baseline (for example the same top-1 class), from 0 to 1.</summary>
    public double Agreement { get; init; }
}
