using System.Globalization;
using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Inspection;

/// <summary>
/// Multiply-accumulate counts from shapes. Conv: every output element needs (C/group x kernel) MACs, which is the
/// product of the weight's dims after the first. ConvTranspose: every input element is spread over
/// (M/group x kernel) outputs. Gemm: M x N x K. MatMul: every output element needs K MACs (K = A's last dim).
/// </summary>
internal static class MacEstimator
{
    public static readonly string[] OpTypes = ["Conv", "ConvTranspose", "Gemm", "MatMul"];

    public static MacReport Estimate(GraphProto graph, ShapeProbe.Result probe)
    {
        var byOpType = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var unknown = new List<UnknownMacs>();
        for (var index = 0; index < graph.Node.Count; index++)
        {
            var node = graph.Node[index];
            if (node.Domain is not ("" or "ai.onnx") || !OpTypes.Contains(node.OpType))
            {
                continue;
            }

            var name = node.Name.Length > 0 ? node.Name : $"#{index}";
            var (macs, reason) = ForNode(node, probe);
            if (macs is { } value)
            {
                byOpType[node.OpType] = byOpType.GetValueOrDefault(node.OpType) + value;
            }
            else
            {
                unknown.Add(new UnknownMacs(name, node.OpType, reason!));
            }
        }

        return new MacReport(byOpType, unknown, probe.Failure is null ? "onnxruntime" : "unavailable", probe.Failure, probe.SubstitutedDims);
    }

    private static (long? Macs, string? Reason) ForNode(NodeProto node, ShapeProbe.Result probe)
    {
        string? missing = null;
        long[]? Shape(int inputOrOutput, bool output)
        {
            var names = output ? node.Output : node.Input;
            var valueName = inputOrOutput < names.Count ? names[inputOrOutput] : "";
            if (valueName.Length > 0 && probe.Shapes.TryGetValue(valueName, out var shape))
            {
                return shape;
            }

            missing ??= $"shape of '{valueName}' unknown" + (probe.Failure is null ? "" : $" (model could not run: {probe.Failure})");
            return null;
        }

        try
        {
            long? macs = node.OpType switch
            {
                "Conv" when Shape(0, true) is { } y && Shape(1, false) is { } w => checked(Product(y) * Product(w.AsSpan(1))),
                "ConvTranspose" when Shape(0, false) is { } x && Shape(1, false) is { } w => checked(Product(x) * Product(w.AsSpan(1))),
                "Gemm" when Shape(0, true) is { } y && Shape(0, false) is { Length: 2 } a =>
                    checked(Product(y) * (TransA(node) ? a[0] : a[1])),
                "MatMul" when Shape(0, true) is { } y && Shape(0, false) is { Length: > 0 } a => checked(Product(y) * a[^1]),
                _ => null,
            };
            return macs is null ? (null, missing ?? "operand shapes have an unexpected rank") : (macs, null);
        }
        catch (OverflowException)
        {
            return (null, "MAC count overflows 64 bits");
        }
    }

    private static bool TransA(NodeProto node) =>
        node.Attribute.FirstOrDefault(a => a.Name == "transA") is { } attribute && attribute.I != 0;

    private static long Product(ReadOnlySpan<long> dims)
    {
        long product = 1;
        foreach (var dim in dims)
        {
            product = checked(product * dim);
        }

        return product;
    }

    public static string Format(long macs) => macs.ToString("N0", CultureInfo.InvariantCulture);
}
