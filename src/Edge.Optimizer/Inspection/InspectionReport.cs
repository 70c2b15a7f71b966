namespace Edge.Optimizer.Inspection;

/// <summary>Everything <c>edge-optimize inspect</c> reports about a model. Serialized by <see cref="InspectionJsonWriter"/>.</summary>
internal sealed record InspectionReport
{
    public required string File { get; init; }

    public required long FileBytes { get; init; }

    public required long IrVersion { get; init; }

    public required IReadOnlyList<(string Domain, long Version)> Opsets { get; init; }

    public required string Producer { get; init; }

    public required string ProducerVersion { get; init; }

    public required IReadOnlyList<ValueSummary> Inputs { get; init; }

    public required IReadOnlyList<ValueSummary> Outputs { get; init; }

    public required int NodeCount { get; init; }

    public required IReadOnlyList<OperatorCount> Operators { get; init; }

    /// <summary>Elements across all initializers and sparse initializers (dense element count) of every graph.</summary>
    public required long Parameters { get; init; }

    /// <summary>Bytes of initializer data per element type (inline and external; sparse values and indices included).</summary>
    public required IReadOnlyDictionary<string, long> WeightBytesByType { get; init; }

    public required int InitializerCount { get; init; }

    public required int SubgraphCount { get; init; }

    public required MacReport Macs { get; init; }
}
