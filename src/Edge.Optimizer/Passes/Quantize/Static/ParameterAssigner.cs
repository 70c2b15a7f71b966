using Edge.Onnx.Graph;
using Edge.Optimizer.Calibration;
using Edge.Optimizer.Passes.Quantize.Weights;

namespace Edge.Optimizer.Passes.Quantize.Static;

/// <summary>
/// Gives every quantized activation its scale and zero point. Tensors that must share parameters (the inputs and
/// outputs of Concat and of shape-only ops) form groups whose range is the union of their members' ranges. A folded
/// ReLU needs its group's range to start at 0; where a group forces negative values in, the fold is undone.
/// </summary>
internal static class ParameterAssigner
{
    public static Dictionary<string, QuantParameters> Assign(StaticPlan plan, OnnxGraph graph, IReadOnlyDictionary<string, TensorRange> ranges, QuantizeOptions options)
    {
        while (true)
        {
            var rename = plan.Folds.ToDictionary(f => f.Producer.Output[f.OutputIndex], f => f.Activation.Output[0], StringComparer.Ordinal);
            string Final(string name) => rename.TryGetValue(name, out var renamed) ? renamed : name;

            var groups = new UnionFind();
            var memberRanges = new Dictionary<string, TensorRange>(StringComparer.Ordinal);
            foreach (var nodePlan in plan.Nodes)
            {
                var node = nodePlan.Node;
                var members = new List<string>();
                foreach (var input in nodePlan.ActivationInputs)
                {
                    members.Add(Final(node.Input[input]));
                }

                foreach (var input in nodePlan.ConstantInputs)
                {
                    var name = node.Input[input];
                    memberRanges[name] = WeightQuantizer.RangeOf(TensorData.ReadFloats(graph.GetInitializer(name)!));
                    members.Add(name);
                }

                foreach (var output in nodePlan.Outputs)
                {
                    var name = Final(node.Output[output]);
                    members.Add(name);
                    if (nodePlan.OutputRange is { } fixedRange)
                    {
                        memberRanges[name] = fixedRange;
                    }
                }

                foreach (var member in members)
                {
                    groups.Add(member);
                    if (!memberRanges.ContainsKey(member))
                    {
                        memberRanges[member] = ranges.TryGetValue(member, out var range)
                            ? range
                            : throw new InvalidOperationException($"Tensor '{member}' of node '{node.Name}' ({node.OpType}) has no calibrated range.");
                    }
                }

                if (nodePlan.SharesParameters)
                {
                    for (var i = 1; i < members.Count; i++)
                    {
                        groups.Union(members[0], members[i]);
                    }
                }
            }

            var groupRanges = new Dictionary<string, TensorRange>(StringComparer.Ordinal);
            foreach (var (name, range) in memberRanges)
            {
                var root = groups.Find(name);
                groupRanges[root] = groupRanges.TryGetValue(root, out var existing) ? existing.Union(range) : range;
            }

            var broken = plan.Folds.FirstOrDefault(f => groupRanges[groups.Find(f.Activation.Output[0])].Min < 0);
            if (broken is not null)
            {
                plan.Folds.Remove(broken); // the shared range goes negative, so QuantizeLinear would not clip like ReLU
                continue;
            }

            return memberRanges.Keys.ToDictionary(
                n => n,
                n => QuantParameters.FromRange(groupRanges[groups.Find(n)], options.ActivationType, options.ActivationSymmetric),
                StringComparer.Ordinal);
        }
    }

    private sealed class UnionFind
    {
        private readonly Dictionary<string, string> _parent = new(StringComparer.Ordinal);

        public void Add(string name) => _parent.TryAdd(name, name);

        public string Find(string name)
        {
            var root = name;
            while (_parent[root] != root)
            {
                root = _parent[root];
            }

            while (_parent[name] != root)
            {
                var next = _parent[name];
                _parent[name] = root;
                name = next;
            }

            return root;
        }

        public void Union(string a, string b)
        {
            var (rootA, rootB) = (Find(a), Find(b));
            if (rootA != rootB)
            {
                _parent[rootB] = rootA;
            }
        }
    }
}
