namespace Edge.Optimizer.Data;

/// <summary>
/// A dataset read lazily in dataset order, so memory stays bounded whatever its size. The range in the
/// <see cref="DatasetSpec"/> is already applied: <see cref="Count"/> is the number of samples enumerated.
/// </summary>
public interface IDataset
{
    /// <summary>The spec this dataset was opened from.</summary>
    DatasetSpec Spec { get; }

    /// <summary>Number of samples after the range is applied.</summary>
    int Count { get; }

    /// <summary>Whether samples carry class labels.</summary>
    bool HasLabels { get; }

    /// <summary>Reads the samples in order.</summary>
    IEnumerable<DataSample> Read(CancellationToken cancellationToken = default);
}
