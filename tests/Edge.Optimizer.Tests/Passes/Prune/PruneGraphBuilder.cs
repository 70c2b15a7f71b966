using Edge.Onnx;
using Edge.Onnx.Protobuf;
using Google.Protobuf;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Optimizer.Tests.Passes.Prune;

/// <summary>Builds small float models op by op with seeded random weights, for one propagation rule per test.</summary>
internal sealed class PruneGraphBuilder
{
    private readonly GraphProto graph = new() { Name = "prune_test" };
    private readonly Random random;
    private int counter;

    public PruneGraphBuilder(int seed = 7)
    {
        random = new Random(seed);
    }

    public string Input(string name, params long[] dims)
    {
        graph.Input.Add(Value(name, dims));
        return name;
    }

    /// <summary>A float initializer of random values in [-1, 1] (or the given values).</summary>
    public string Weight(long[] dims, float[]? values = null, float offset = 0f)
    {
        var count = (int)dims.Aggregate(1L, (a, b) => a * b);
        values ??= Enumerable.Range(0, count).Select(_ => offset + ((float)random.NextDouble() * 2f) - 1f).ToArray();
        var name = $"w{counter++}";
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        graph.Initializer.Add(new TensorProto { Name = name, DataType = (int)DataType.Float, Dims = { dims }, RawData = ByteString.CopyFrom(bytes) });
        return name;
    }

    public string Ints(params long[] values)
    {
        var name = $"i{counter++}";
        var tensor = new TensorProto { Name = name, DataType = (int)DataType.Int64, Dims = { values.Length } };
        foreach (var v in values)
        {
            tensor.Int64Data.Add(v);
        }

        graph.Initializer.Add(tensor);
        return name;
    }

    public string Conv(string x, long inChannels, long outChannels, long kernel = 3, long group = 1, bool bias = true, string? name = null)
    {
        var w = Weight([outChannels, inChannels / group, kernel, kernel]);
        var inputs = bias ? new[] { x, w, Weight([outChannels]) } : [x, w];
        return Op("Conv", inputs, name, Attribute("group", group), Attribute("pads", kernel / 2, kernel / 2, kernel / 2, kernel / 2));
    }

    public string BatchNorm(string x, long channels) =>
        Op("BatchNormalization", [x, Weight([channels]), Weight([channels]), Weight([channels]), Weight([channels], offset: 2f)]);

    /// <summary>Adds a node and returns its first output's name.</summary>
    public string Op(string opType, string[] inputs, string? name = null, params AttributeProto[] attributes) =>
        OpMulti(opType, inputs, 1, name, attributes)[0];

    public string[] OpMulti(string opType, string[] inputs, int outputs, string? name = null, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name ?? $"{opType.ToLowerInvariant()}{counter++}", Input = { inputs } };
        for (var i = 0; i < outputs; i++)
        {
            node.Output.Add($"{node.Name}_out{i}");
        }

        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return [.. node.Output];
    }

    public static AttributeProto Attribute(string name, params long[] values) => values.Length == 1 && name is not ("pads" or "perm" or "axes" or "split" or "starts" or "ends" or "kernel_shape")
        ? new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = values[0] }
        : new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { values } };

    public OnnxModel Build(int opset = 13, params string[] outputs)
    {
        foreach (var output in outputs)
        {
            graph.Output.Add(new ValueInfoProto { Name = output, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float } } });
        }

        var proto = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "edge-prune-tests",
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = opset } },
            Graph = graph,
        };
        return OnnxModel.FromProto(proto);
    }

    private static ValueInfoProto Value(string name, long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float, Shape = shape } } };
    }
}
