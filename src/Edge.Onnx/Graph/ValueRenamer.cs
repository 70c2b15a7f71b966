using Edge.Onnx.Protobuf;
using Google.Protobuf.Collections;

namespace Edge.Onnx.Graph;

/// <summary>Renames one value through a graph and the subgraphs that see it, respecting shadowing by subgraph definitions.</summary>
internal static class ValueRenamer
{
    public static void Rename(GraphProto graph, string oldName, string newName, bool isDefiningGraph)
    {
        if (!isDefiningGraph && Scope.LocalDefinitions(graph).Contains(oldName))
        {
            return; // The subgraph defines its own value of that name, which hides ours.
        }

        foreach (var node in graph.Node)
        {
            Replace(node.Input, oldName, newName);
            Replace(node.Output, oldName, newName);
            foreach (var subgraph in ModelTensors.NodeSubgraphs(node))
            {
                Rename(subgraph, oldName, newName, isDefiningGraph: false);
            }
        }

        foreach (var info in graph.Input.Concat(graph.Output).Concat(graph.ValueInfo))
        {
            if (info.Name == oldName)
            {
                info.Name = newName;
            }
        }

        foreach (var tensor in graph.Initializer.Concat(graph.SparseInitializer.Select(s => s.Values)).OfType<TensorProto>())
        {
            if (tensor.Name == oldName)
            {
                tensor.Name = newName;
            }
        }

        foreach (var annotation in graph.QuantizationAnnotation)
        {
            if (annotation.TensorName == oldName)
            {
                annotation.TensorName = newName;
            }

            foreach (var entry in annotation.QuantParameterTensorNames)
            {
                if (entry.Value == oldName)
                {
                    entry.Value = newName;
                }
            }
        }
    }

    /// <summary>Whether <paramref name="name"/> appears anywhere in the graph or its subgraphs.</summary>
    public static bool IsUsed(GraphProto graph, string name)
    {
        foreach (var g in ModelTensors.WithSubgraphs(graph))
        {
            if (g.Node.Any(n => n.Input.Contains(name) || n.Output.Contains(name)) ||
                g.Input.Concat(g.Output).Concat(g.ValueInfo).Any(v => v.Name == name) ||
                g.Initializer.Any(t => t.Name == name) ||
                g.SparseInitializer.Any(s => s.Values?.Name == name))
            {
                return true;
            }
        }

        return false;
    }

    private static void Replace(RepeatedField<string> names, string oldName, string newName)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == oldName)
            {
                names[i] = newName;
            }
        }
    }
}
