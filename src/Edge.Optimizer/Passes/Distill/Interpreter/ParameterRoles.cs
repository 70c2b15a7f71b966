using Edge.Onnx.Graph;

namespace Edge.Optimizer.Passes.Distill.Interpreter;

/// <summary>Which initializers the student trains (layer weights, biases, BN scale/shift) and which are BN running statistics.</summary>
internal sealed record ParameterRoles(IReadOnlySet<string> Trainable, IReadOnlySet<string> Statistics)
{
    private static readonly int[] Statistic = [3, 4];

    public static ParameterRoles Find(OnnxGraph graph)
    {
        var initializers = graph.Proto.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var trainable = new HashSet<string>(StringComparer.Ordinal);
        var statistics = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Proto.Node)
        {
            int[] trained = node.OpType switch
            {
                "Conv" or "ConvTranspose" or "Gemm" => [1, 2],
                "MatMul" => [0, 1],
                "BatchNormalization" => [1, 2],
                _ => [],
            };
            foreach (var index in trained.Where(i => i < node.Input.Count && initializers.Contains(node.Input[i])))
            {
                trainable.Add(node.Input[index]);
            }

            if (node.OpType == "BatchNormalization")
            {
                foreach (var index in Statistic.Where(i => i < node.Input.Count && initializers.Contains(node.Input[i])))
                {
                    statistics.Add(node.Input[index]);
                }
            }
        }

        statistics.ExceptWith(trainable);
        return new ParameterRoles(trainable, statistics);
    }
}
