using Edge.Onnx;
using Edge.Onnx.Protobuf;
using Edge.Onnx.Serialization;

namespace Edge.Optimizer.Packaging;

/// <summary>
/// Finds the external-data files an ONNX model refers to (tensors with <c>data_location = EXTERNAL</c>), anywhere in
/// the graph: initializers, sparse initializers, constant attributes, subgraphs and functions.
/// </summary>
internal static class ExternalDataLocator
{
    /// <summary>Returns the model-relative locations, each checked to be a file inside the model's folder.</summary>
    public static async Task<IReadOnlyList<string>> FindAsync(string modelPath, CancellationToken cancellationToken)
    {
        ModelProto model;
        await using (var stream = File.OpenRead(modelPath))
        {
            // Through the ONNX layer's bounded reader (length prefixes checked, size and recursion limits), like every load.
            model = ModelReader.Parse(stream, stream.Length, modelPath, OnnxLoadOptions.Default);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var locations = new SortedSet<string>(StringComparer.Ordinal);
        Visit(model.Graph, locations);
        foreach (var function in model.Functions)
        {
            VisitNodes(function.Node, locations);
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        foreach (var location in locations)
        {
            var full = Path.GetFullPath(Path.Combine(folder, location));
            if (location.Contains('\\', StringComparison.Ordinal) || Path.IsPathRooted(location) || !full.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new OnnxModelException($"'{modelPath}' refers to external data '{location}', which is outside the model's folder '{folder}'.");
            }

            if (!File.Exists(full))
            {
                throw new OnnxModelException($"'{modelPath}' refers to external data '{location}', but '{full}' does not exist.");
            }
        }

        return locations.ToArray();
    }

    private static void Visit(GraphProto? graph, SortedSet<string> locations)
    {
        if (graph is null)
        {
            return;
        }

        foreach (var tensor in graph.Initializer)
        {
            Add(tensor, locations);
        }

        foreach (var sparse in graph.SparseInitializer)
        {
            Add(sparse.Values, locations);
            Add(sparse.Indices, locations);
        }

        VisitNodes(graph.Node, locations);
    }

    private static void VisitNodes(IEnumerable<NodeProto> nodes, SortedSet<string> locations)
    {
        foreach (var attribute in nodes.SelectMany(n => n.Attribute))
        {
            Add(attribute.T, locations);
            foreach (var tensor in attribute.Tensors)
            {
                Add(tensor, locations);
            }

            Add(attribute.SparseTensor?.Values, locations);
            Add(attribute.SparseTensor?.Indices, locations);
            Visit(attribute.G, locations);
            foreach (var subgraph in attribute.Graphs)
            {
                Visit(subgraph, locations);
            }
        }
    }

    private static void Add(TensorProto? tensor, SortedSet<string> locations)
    {
        if (tensor is null || tensor.DataLocation != TensorProto.Types.DataLocation.External)
        {
            return;
        }

        var location = tensor.ExternalData.FirstOrDefault(e => e.Key == "location")?.Value;
        if (string.IsNullOrEmpty(location))
        {
            throw new OnnxModelException($"Tensor '{tensor.Name}' is stored externally but has no 'location' entry.");
        }

        locations.Add(location);
    }
}
