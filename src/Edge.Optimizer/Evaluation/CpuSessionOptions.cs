using Edge.Sdk.Inference;

namespace Edge.Optimizer.Evaluation;

/// <summary>The session settings the optimizer measures with: ONNX Runtime's CPU provider at a given thread count.</summary>
internal static class CpuSessionOptions
{
    /// <summary>Creates fresh options for each session: the CPU provider with <paramref name="threads"/> intra-op threads.</summary>
    public static Func<EdgeSessionOptions> For(int threads) => () => new EdgeSessionOptions
    {
        Provider = ExecutionProvider.Cpu,
        Cpu = new CpuProviderOptions { IntraOpThreads = threads },
    };
}
