using Edge.Onnx.Protobuf;

namespace Edge.Onnx.Graph;

/// <summary>Kahn's algorithm over a graph's nodes, counting subgraph (implicit) inputs as edges, keeping file order among ready nodes.</summary>
public static class TopologicalSorter
{
    /// <summary>Sorts the nodes; on a cycle returns <see langword="false"/> and the nodes of one cycle, in order.</summary>
    public static bool TrySort(IReadOnlyList<NodeProto> nodes, out List<int> order, out List<int> cycle)
    {
        var producerOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            foreach (var output in nodes[i].Output)
            {
                if (output.Length > 0)
                {
                    producerOf.TryAdd(output, i);
                }
            }
        }

        var predecessors = new List<int>[nodes.Count];
        var successors = new List<int>[nodes.Count];
        var inDegree = new int[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            successors[i] ??= [];
            var distinct = new HashSet<int>();
            foreach (var name in nodes[i].Input.Concat(Scope.ImplicitInputs(nodes[i])))
            {
                if (name.Length > 0 && producerOf.TryGetValue(name, out var producer) && distinct.Add(producer))
                {
                    (successors[producer] ??= []).Add(i);
                    inDegree[i]++;
                }
            }

            predecessors[i] = [.. distinct];
        }

        var ready = new PriorityQueue<int, int>();
        for (var i = 0; i < nodes.Count; i++)
        {
            if (inDegree[i] == 0)
            {
                ready.Enqueue(i, i);
            }
        }

        order = new List<int>(nodes.Count);
        while (ready.TryDequeue(out var next, out _))
        {
            order.Add(next);
            foreach (var successor in successors[next])
            {
                if (--inDegree[successor] == 0)
                {
                    ready.Enqueue(successor, successor);
                }
            }
        }

        cycle = [];
        if (order.Count == nodes.Count)
        {
            return true;
        }

        // Every node left has a predecessor that is also left, so walking predecessors must come back to a node.
        var seenAt = new Dictionary<int, int>();
        var current = Enumerable.Range(0, nodes.Count).First(i => inDegree[i] > 0);
        var walk = new List<int>();
        while (!seenAt.ContainsKey(current))
        {
            seenAt[current] = walk.Count;
            walk.Add(current);
            current = predecessors[current].First(p => inDegree[p] > 0);
        }

        cycle = walk.Skip(seenAt[current]).Reverse().ToList();
        var first = cycle.IndexOf(cycle.Min());
        cycle = [.. cycle.Skip(first), .. cycle.Take(first)]; // Start at the earliest node so messages are stable.
        return false;
    }

    /// <summary>"'a' (Add) -> 'b' (Relu) -> 'a' (Add)" for messages.</summary>
    public static string DescribeCycle(IReadOnlyList<NodeProto> nodes, List<int> cycle) =>
        string.Join(" -> ", cycle.Append(cycle[0]).Select(i => Scope.Describe(nodes[i], i)));
}
