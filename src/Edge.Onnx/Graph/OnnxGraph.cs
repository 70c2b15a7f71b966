using Edge.Onnx.Protobuf;

namespace Edge.Onnx.Graph;

/// <summary>
/// An index over one <see cref="GraphProto"/> for optimization passes: who produces and who consumes each value,
/// topological order, initializers, and nested subgraphs with their outer-scope references. The editing methods
/// (<see cref="RenameValue"/>, <see cref="ReplaceNode"/>, <see cref="InsertNode"/>, <see cref="RemoveNode"/>) check
/// that the graph stays valid and refresh the index; after editing <see cref="Proto"/> directly, create a new index.
/// </summary>
public sealed class OnnxGraph
{
    private readonly Dictionary<string, NodeProto> producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeProto>> consumers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorProto> initializers = new(StringComparer.Ordinal);
    private readonly List<OnnxSubgraph> subgraphs = [];
    private HashSet<string> localDefinitions = [];

    /// <summary>Indexes <paramref name="proto"/>; pass the enclosing graph as <paramref name="parent"/> for a subgraph.</summary>
    public OnnxGraph(GraphProto proto, OnnxGraph? parent = null)
    {
        ArgumentNullException.ThrowIfNull(proto);
        Proto = proto;
        Parent = parent;
        Reindex();
    }

    /// <summary>The graph message this index describes.</summary>
    public GraphProto Proto { get; }

    /// <summary>The enclosing graph for a subgraph; <see langword="null"/> for a model's main graph.</summary>
    public OnnxGraph? Parent { get; }

    /// <summary>The subgraphs held directly by this graph's nodes (not their nested ones; walk <see cref="OnnxSubgraph.Graph"/> for those).</summary>
    public IReadOnlyList<OnnxSubgraph> Subgraphs => subgraphs;

    /// <summary>Values this graph (with its subgraphs) reads from enclosing graphs.</summary>
    public IReadOnlySet<string> OuterScopeReferences => Scope.OuterReferences(Proto);

    /// <summary>This graph and every nested subgraph, depth first.</summary>
    public IEnumerable<OnnxGraph> SelfAndDescendants() =>
        subgraphs.SelectMany(s => s.Graph.SelfAndDescendants()).Prepend(this);

    /// <summary>The node that produces <paramref name="value"/> in this graph, or <see langword="null"/> (graph input, initializer, outer scope or undefined).</summary>
    public NodeProto? GetProducer(string value) => producers.GetValueOrDefault(value);

    /// <summary>The nodes that read <paramref name="value"/>, directly or through a subgraph (implicit input); empty when none.</summary>
    public IReadOnlyList<NodeProto> GetConsumers(string value) =>
        consumers.TryGetValue(value, out var list) ? list : [];

    /// <summary>The initializer named <paramref name="name"/> in this graph, or <see langword="null"/>.</summary>
    public TensorProto? GetInitializer(string name) => initializers.GetValueOrDefault(name);

    /// <summary>Whether this graph or an enclosing one defines <paramref name="name"/>.</summary>
    public bool IsDefined(string name) => localDefinitions.Contains(name) || (Parent?.IsDefined(name) ?? false);

    /// <summary>Whether <paramref name="name"/> is a graph output.</summary>
    public bool IsGraphOutput(string name) => Proto.Output.Any(o => o.Name == name);

    /// <summary>The nodes in an order where every value is produced before it is read. Throws <see cref="OnnxModelException"/> naming the nodes of a cycle.</summary>
    public IReadOnlyList<NodeProto> TopologicalOrder()
    {
        if (!TopologicalSorter.TrySort(Proto.Node, out var order, out var cycle))
        {
            throw new OnnxModelException($"Graph '{Proto.Name}' has a cycle: {TopologicalSorter.DescribeCycle(Proto.Node, cycle)}.");
        }

        return order.Select(i => Proto.Node[i]).ToList();
    }

    /// <summary>
    /// Renames a value defined in this graph everywhere it appears: producer outputs, consumer inputs, graph inputs and
    /// outputs, value_info, initializers, quantization annotations, and references from subgraphs that do not define
    /// their own value of that name. Throws <see cref="ArgumentException"/> if the old name is not defined here or the new one is taken.
    /// </summary>
    public void RenameValue(string oldName, string newName)
    {
        ArgumentException.ThrowIfNullOrEmpty(oldName);
        ArgumentException.ThrowIfNullOrEmpty(newName);
        if (!localDefinitions.Contains(oldName))
        {
            throw new ArgumentException($"Value '{oldName}' is not defined in graph '{Proto.Name}'; rename it in the graph that defines it.", nameof(oldName));
        }

        if (IsDefined(newName) || ValueRenamer.IsUsed(Proto, newName))
        {
            throw new ArgumentException($"Cannot rename '{oldName}' to '{newName}': graph '{Proto.Name}' already uses that name.", nameof(newName));
        }

        ValueRenamer.Rename(Proto, oldName, newName, isDefiningGraph: true);
        Reindex();
    }

    /// <summary>
    /// Puts <paramref name="replacement"/> where <paramref name="existing"/> was. Every output of the old node that is
    /// still read (by nodes or as a graph output) must be produced by the replacement, and the replacement's inputs
    /// must be defined before that position.
    /// </summary>
    public void ReplaceNode(NodeProto existing, NodeProto replacement)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(replacement);
        var index = IndexOf(existing);
        var missing = existing.Output.Where(o => o.Length > 0 && !replacement.Output.Contains(o) && (GetConsumers(o).Count > 0 || IsGraphOutput(o))).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"Replacement for node {Scope.Describe(existing, index)} does not produce [{string.Join(", ", missing)}], which are still read.", nameof(replacement));
        }

        var taken = replacement.Output.Where(o => o.Length > 0 && !existing.Output.Contains(o) && IsDefined(o)).ToList();
        if (taken.Count > 0)
        {
            throw new ArgumentException($"Replacement node outputs [{string.Join(", ", taken)}] are already defined in graph '{Proto.Name}'.", nameof(replacement));
        }

        Proto.Node[index] = replacement;
        var undefined = UndefinedInputsBefore(replacement, index);
        if (undefined.Count > 0)
        {
            Proto.Node[index] = existing;
            throw new ArgumentException($"Replacement node reads [{string.Join(", ", undefined)}], which are not defined before position {index}.", nameof(replacement));
        }

        Reindex();
    }

    /// <summary>Inserts <paramref name="node"/> right after the last producer of its inputs. Its inputs must be defined and its outputs new.</summary>
    public void InsertNode(NodeProto node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var taken = node.Output.Where(o => o.Length > 0 && (IsDefined(o) || ValueRenamer.IsUsed(Proto, o))).ToList();
        if (taken.Count > 0)
        {
            throw new ArgumentException($"New node outputs [{string.Join(", ", taken)}] are already used in graph '{Proto.Name}'.", nameof(node));
        }

        var reads = node.Input.Concat(Scope.ImplicitInputs(node)).Where(i => i.Length > 0).ToList();
        var undefined = reads.Where(i => !IsDefined(i)).Distinct().ToList();
        if (undefined.Count > 0)
        {
            throw new ArgumentException($"New node reads [{string.Join(", ", undefined)}], which graph '{Proto.Name}' does not define.", nameof(node));
        }

        var position = reads.Select(r => producers.TryGetValue(r, out var p) ? IndexOf(p) + 1 : 0).DefaultIfEmpty(0).Max();
        Proto.Node.Insert(position, node);
        Reindex();
    }

    /// <summary>Removes a node whose outputs nobody reads (no consumers, not graph outputs).</summary>
    public void RemoveNode(NodeProto node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var index = IndexOf(node);
        var read = node.Output.Where(o => o.Length > 0 && (GetConsumers(o).Count > 0 || IsGraphOutput(o))).ToList();
        if (read.Count > 0)
        {
            throw new ArgumentException($"Cannot remove node {Scope.Describe(node, index)}: its outputs [{string.Join(", ", read)}] are still read.", nameof(node));
        }

        Proto.Node.RemoveAt(index);
        Reindex();
    }

    private int IndexOf(NodeProto node)
    {
        for (var i = 0; i < Proto.Node.Count; i++)
        {
            if (ReferenceEquals(Proto.Node[i], node))
            {
                return i;
            }
        }

        throw new ArgumentException($"Node '{node.Name}' ({node.OpType}) is not in graph '{Proto.Name}'.", nameof(node));
    }

    private List<string> UndefinedInputsBefore(NodeProto node, int index)
    {
        var available = new HashSet<string>(Proto.Input.Select(i => i.Name), StringComparer.Ordinal);
        available.UnionWith(Proto.Initializer.Select(i => i.Name));
        available.UnionWith(Proto.SparseInitializer.Where(s => s.Values is not null).Select(s => s.Values.Name));
        available.UnionWith(Proto.Node.Take(index).SelectMany(n => n.Output));
        return node.Input.Concat(Scope.ImplicitInputs(node))
            .Where(i => i.Length > 0 && !available.Contains(i) && !(Parent?.IsDefined(i) ?? false))
            .Distinct().ToList();
    }

    private void Reindex()
    {
        producers.Clear();
        consumers.Clear();
        initializers.Clear();
        subgraphs.Clear();
        foreach (var tensor in Proto.Initializer)
        {
            initializers.TryAdd(tensor.Name, tensor);
        }

        foreach (var node in Proto.Node)
        {
            foreach (var output in node.Output.Where(o => o.Length > 0))
            {
                producers.TryAdd(output, node);
            }

            foreach (var input in node.Input.Where(i => i.Length > 0).Concat(Scope.ImplicitInputs(node)).Distinct())
            {
                if (!consumers.TryGetValue(input, out var list))
                {
                    consumers[input] = list = [];
                }

                list.Add(node);
            }

            foreach (var attribute in node.Attribute)
            {
                foreach (var graph in attribute.Graphs.Prepend(attribute.G).OfType<GraphProto>())
                {
                    subgraphs.Add(new OnnxSubgraph(node, attribute.Name, new OnnxGraph(graph, this)));
                }
            }
        }

        localDefinitions = Scope.LocalDefinitions(Proto);
    }
}
