using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using Google.Protobuf.Collections;

namespace Edge.Onnx.Validation;

/// <summary>
/// Checks a model's graphs, subgraphs and function bodies for undefined values, values produced twice, cycles and
/// initializer/declaration type mismatches, and reports every issue rather than stopping at the first.
/// </summary>
internal static class GraphValidator
{
    public static IReadOnlyList<ValidationIssue> Validate(ModelProto model)
    {
        var issues = new List<ValidationIssue>();
        if (model.Graph is not null)
        {
            ValidateGraph(model.Graph, "main", new HashSet<string>(StringComparer.Ordinal), issues);
        }

        foreach (var function in model.Functions)
        {
            var defined = new HashSet<string>(function.Input, StringComparer.Ordinal);
            var location = $"function:{function.Domain}.{function.Name}";
            CheckNodes(function.Node, defined, new HashSet<string>(StringComparer.Ordinal), location, issues);
            CheckReads(function.Node, function.Output, defined, location, issues);
        }

        return issues;
    }

    private static void ValidateGraph(GraphProto graph, string location, HashSet<string> outer, List<ValidationIssue> issues)
    {
        var defined = new HashSet<string>(outer, StringComparer.Ordinal);
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in graph.Input.Select(i => i.Name)
                     .Concat(graph.Initializer.Select(t => t.Name))
                     .Concat(graph.SparseInitializer.Where(s => s.Values is not null).Select(s => s.Values.Name)))
        {
            declared.Add(name);
            defined.Add(name);
        }

        CheckNodes(graph.Node, defined, declared, location, issues);
        CheckReads(graph.Node, graph.Output.Select(o => o.Name), defined, location, issues);
        CheckTypes(graph, location, issues);
        foreach (var node in graph.Node)
        {
            foreach (var attribute in node.Attribute)
            {
                var graphs = attribute.Graphs.Prepend(attribute.G).OfType<GraphProto>().ToList();
                for (var i = 0; i < graphs.Count; i++)
                {
                    var suffix = graphs.Count > 1 || attribute.G is null ? $"[{i}]" : "";
                    var nodeName = node.Name.Length > 0 ? node.Name : node.OpType;
                    ValidateGraph(graphs[i], $"{location}/{nodeName}.{attribute.Name}{suffix}", defined, issues);
                }
            }
        }
    }

    /// <summary>Adds node outputs to <paramref name="defined"/>, reporting duplicates and cycles.</summary>
    private static void CheckNodes(RepeatedField<NodeProto> nodes, HashSet<string> defined, HashSet<string> declared, string location, List<ValidationIssue> issues)
    {
        var producedBy = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            foreach (var output in nodes[i].Output.Where(o => o.Length > 0))
            {
                if (producedBy.TryGetValue(output, out var first))
                {
                    issues.Add(new(ValidationIssueKind.DuplicateDefinition, location,
                        $"value '{output}' in graph '{location}' is produced twice, by node {Scope.Describe(nodes[first], first)} and node {Scope.Describe(nodes[i], i)}"));
                }
                else if (declared.Contains(output))
                {
                    issues.Add(new(ValidationIssueKind.DuplicateDefinition, location,
                        $"node {Scope.Describe(nodes[i], i)} in graph '{location}' produces '{output}', which is already a graph input or initializer"));
                }
                else
                {
                    producedBy[output] = i;
                }

                defined.Add(output);
            }
        }

        if (!TopologicalSorter.TrySort(nodes, out _, out var cycle))
        {
            issues.Add(new(ValidationIssueKind.Cycle, location,
                $"graph '{location}' has a cycle: {TopologicalSorter.DescribeCycle(nodes, cycle)}"));
        }
    }

    private static void CheckReads(RepeatedField<NodeProto> nodes, IEnumerable<string> outputs, HashSet<string> defined, string location, List<ValidationIssue> issues)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            foreach (var input in nodes[i].Input)
            {
                if (input.Length > 0 && !defined.Contains(input))
                {
                    issues.Add(new(ValidationIssueKind.UndefinedValue, location,
                        $"node {Scope.Describe(nodes[i], i)} in graph '{location}' reads '{input}', which no node, input, initializer or outer scope defines"));
                }
            }
        }

        foreach (var output in outputs)
        {
            if (output.Length > 0 && !defined.Contains(output))
            {
                issues.Add(new(ValidationIssueKind.UndefinedValue, location,
                    $"graph output '{output}' of graph '{location}' is not produced by any node, input or initializer"));
            }
        }
    }

    private static void CheckTypes(GraphProto graph, string location, List<ValidationIssue> issues)
    {
        var declarations = graph.Input.Concat(graph.ValueInfo)
            .Where(v => v.Type?.TensorType is not null)
            .GroupBy(v => v.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var tensor in graph.Initializer)
        {
            if (!declarations.TryGetValue(tensor.Name, out var infos))
            {
                continue;
            }

            foreach (var declared in infos.Select(i => i.Type.TensorType))
            {
                if (declared.HasElemType && declared.ElemType != 0 && declared.ElemType != tensor.DataType)
                {
                    issues.Add(new(ValidationIssueKind.TypeMismatch, location,
                        $"initializer '{tensor.Name}' in graph '{location}' has type {TensorElementTypes.Name(tensor.DataType)} but is declared as {TensorElementTypes.Name(declared.ElemType)}"));
                }

                if (declared.Shape is { } shape && !ShapeMatches(shape, tensor))
                {
                    var shown = string.Join(" x ", shape.Dim.Select(d => d.HasDimValue ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.HasDimParam ? d.DimParam : "?"));
                    issues.Add(new(ValidationIssueKind.TypeMismatch, location,
                        $"initializer '{tensor.Name}' in graph '{location}' has dims [{string.Join(", ", tensor.Dims)}] but is declared as [{shown}]"));
                }
            }
        }
    }

    private static bool ShapeMatches(TensorShapeProto shape, TensorProto tensor)
    {
        if (shape.Dim.Count != tensor.Dims.Count)
        {
            return false;
        }

        for (var i = 0; i < shape.Dim.Count; i++)
        {
            if (shape.Dim[i].HasDimValue && shape.Dim[i].DimValue != tensor.Dims[i])
            {
                return false;
            }
        }

        return true;
    }
}
