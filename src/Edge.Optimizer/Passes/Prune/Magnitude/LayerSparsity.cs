namespace Edge.Optimizer.Passes.Prune.Magnitude;

/// <summary>One layer's weights before and after unstructured or 2:4 pruning.</summary>
/// <param name="Layer">The layer's name.</param>
/// <param name="OpType">Its operator.</param>
/// <param name="Parameters">Weight elements.</param>
/// <param name="ZerosBefore">Weights that were already zero.</param>
/// <param name="ZerosAfter">Weights that are zero now.</param>
/// <param name="Note">Why it was left alone, or <see langword="null"/> when pruned.</param>
internal sealed record LayerSparsity(string Layer, string OpType, long Parameters, long ZerosBefore, long ZerosAfter, string? Note)
{
    public double Sparsity => Parameters == 0 ? 0 : (double)ZerosAfter / Parameters;
}
