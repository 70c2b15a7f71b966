using Edge.Onnx.Protobuf;

namespace Edge.Onnx.Graph;

/// <summary>
/// Finds every tensor and graph in a model in one fixed order: the main graph, then functions, then training info;
/// inside a graph, initializers, sparse initializers, then node attributes (recursing into subgraphs).
/// Two models with the same structure (for example a model and its clone) yield their tensors in the same order.
/// </summary>
public static class ModelTensors
{
    /// <summary>Every tensor of the model (initializers, sparse initializers' values and indices, attribute tensors), in the fixed order above; the model's own instances, lazily.</summary>
    /// <param name="model">The model; do not change its structure while enumerating.</param>
    public static IEnumerable<TensorProto> Enumerate(ModelProto model)
    {
        foreach (var graph in Graphs(model))
        {
            foreach (var tensor in Direct(graph.Initializer, graph.SparseInitializer, graph.Node))
            {
                yield return tensor;
            }
        }

        foreach (var function in model.Functions)
        {
            foreach (var tensor in Direct([], [], function.Node))
            {
                yield return tensor;
            }

            foreach (var attribute in function.AttributeProto)
            {
                foreach (var tensor in AttributeTensors(attribute))
                {
                    yield return tensor;
                }
            }
        }
    }

    /// <summary>Every graph of the model: main graph and its subgraphs, subgraphs of function bodies, training graphs.</summary>
    public static IEnumerable<GraphProto> Graphs(ModelProto model)
    {
        if (model.Graph is not null)
        {
            foreach (var graph in WithSubgraphs(model.Graph))
            {
                yield return graph;
            }
        }

        foreach (var function in model.Functions)
        {
            foreach (var node in function.Node)
            {
                foreach (var graph in NodeSubgraphs(node).SelectMany(WithSubgraphs))
                {
                    yield return graph;
                }
            }
        }

        foreach (var training in model.TrainingInfo)
        {
            foreach (var root in new[] { training.Initialization, training.Algorithm })
            {
                if (root is not null)
                {
                    foreach (var graph in WithSubgraphs(root))
                    {
                        yield return graph;
                    }
                }
            }
        }
    }

    /// <summary>The graph followed by all graphs nested in its nodes' attributes, depth first.</summary>
    public static IEnumerable<GraphProto> WithSubgraphs(GraphProto graph)
    {
        yield return graph;
        foreach (var node in graph.Node)
        {
            foreach (var nested in NodeSubgraphs(node).SelectMany(WithSubgraphs))
            {
                yield return nested;
            }
        }
    }

    /// <summary>The graphs held directly by a node's GRAPH and GRAPHS attributes (If branches, Loop and Scan bodies).</summary>
    public static IEnumerable<GraphProto> NodeSubgraphs(NodeProto node)
    {
        foreach (var attribute in node.Attribute)
        {
            if (attribute.G is not null)
            {
                yield return attribute.G;
            }

            foreach (var graph in attribute.Graphs)
            {
                yield return graph;
            }
        }
    }

    private static IEnumerable<TensorProto> Direct(IEnumerable<TensorProto> initializers, IEnumerable<SparseTensorProto> sparse, IEnumerable<NodeProto> nodes)
    {
        foreach (var tensor in initializers)
        {
            yield return tensor;
        }

        foreach (var tensor in sparse.SelectMany(SparseParts))
        {
            yield return tensor;
        }

        foreach (var attribute in nodes.SelectMany(n => n.Attribute))
        {
            foreach (var tensor in AttributeTensors(attribute))
            {
                yield return tensor;
            }
        }
    }

    private static IEnumerable<TensorProto> AttributeTensors(AttributeProto attribute)
    {
        if (attribute.T is not null)
        {
            yield return attribute.T;
        }

        foreach (var tensor in attribute.Tensors)
        {
            yield return tensor;
        }

        var sparse = attribute.SparseTensor is null ? attribute.SparseTensors : attribute.SparseTensors.Prepend(attribute.SparseTensor);
        foreach (var tensor in sparse.SelectMany(SparseParts))
        {
            yield return tensor;
        }
    }

    private static IEnumerable<TensorProto> SparseParts(SparseTensorProto sparse)
    {
        if (sparse.Values is not null)
        {
            yield return sparse.Values;
        }

        if (sparse.Indices is not null)
        {
            yield return sparse.Indices;
        }
    }
}
