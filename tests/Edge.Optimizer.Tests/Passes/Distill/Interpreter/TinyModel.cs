using Edge.Onnx;
using Edge.Onnx.Protobuf;
using Google.Protobuf;
using DataType = Edge.Onnx.Protobuf.TensorProto.Types.DataType;

namespace Edge.Optimizer.Tests.Passes.Distill.Interpreter;

/// <summary>Builds tiny float models node by node, with seeded random inputs and weights, for op parity tests.</summary>
internal sealed class TinyModel
{
    private readonly GraphProto graph = new() { Name = "tiny" };
    private readonly Random random;
    private readonly long opset;
    private int counter;

    public TinyModel(long opset = 13, int seed = 11)
    {
        this.opset = opset;
        random = new Random(seed);
    }

    /// <summary>Random sample values for each graph input, by name.</summary>
    public Dictionary<string, (float[] Data, long[] Shape)> Feeds { get; } = new(StringComparer.Ordinal);

    public string Input(long[] shape, string? name = null)
    {
        name ??= $"x{counter++}";
        graph.Input.Add(Value(name, shape));
        Feeds[name] = (RandomValues(shape, -2f, 2f), shape);
        return name;
    }

    public string Floats(long[] shape, float[]? values = null, float low = -1f, float high = 1f)
    {
        var name = $"f{counter++}";
        values ??= RandomValues(shape, low, high);
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        graph.Initializer.Add(new TensorProto { Name = name, DataType = (int)DataType.Float, Dims = { shape }, RawData = ByteString.CopyFrom(bytes) });
        return name;
    }

    public string Ints(params long[] values)
    {
        var name = $"i{counter++}";
        var tensor = new TensorProto { Name = name, DataType = (int)DataType.Int64, Dims = { values.Length } };
        tensor.Int64Data.Add(values);
        graph.Initializer.Add(tensor);
        return name;
    }

    public string[] Node(string opType, string[] inputs, int outputs = 1, string? name = null, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name ?? $"{opType.ToLowerInvariant()}_{counter++}" };
        node.Input.Add(inputs);
        var names = Enumerable.Range(0, outputs).Select(i => $"{node.Name}_out{i}").ToArray();
        node.Output.Add(names);
        node.Attribute.Add(attributes);
        graph.Node.Add(node);
        return names;
    }

    public string Op(string opType, string[] inputs, params AttributeProto[] attributes) => Node(opType, inputs, 1, null, attributes)[0];

    public OnnxModel Build(params string[] outputs)
    {
        var proto = new ModelProto { IrVersion = 8, ProducerName = "edge-tests", Graph = graph.Clone() };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        foreach (var output in outputs)
        {
            proto.Graph.Output.Add(new ValueInfoProto { Name = output, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float } } });
        }

        return OnnxModel.FromProto(proto);
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    public static AttributeProto Tensor(string name, TensorProto value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = value };

    private float[] RandomValues(long[] shape, float low, float high)
    {
        var count = (int)shape.Aggregate(1L, (a, b) => a * b);
        return [.. Enumerable.Range(0, count).Select(_ => low + ((float)random.NextDouble() * (high - low)))];
    }

    private static ValueInfoProto Value(string name, long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float, Shape = shape } } };
    }
}
