using Edge.Onnx.Protobuf;
using Google.Protobuf;

namespace Edge.Onnx.Tests;

/// <summary>Small hand-built models for tests that need a specific structure.</summary>
internal static class TestModels
{
    public static ModelProto Model(GraphProto graph) => new()
    {
        IrVersion = 8,
        ProducerName = "edge-tests",
        OpsetImport = { new OperatorSetIdProto { Domain = "", Version = 17 } },
        Graph = graph,
    };

    public static NodeProto Node(string opType, string name, string[] inputs, string[] outputs) => new()
    {
        OpType = opType,
        Name = name,
        Input = { inputs },
        Output = { outputs },
    };

    public static ValueInfoProto FloatValue(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    public static TensorProto FloatTensor(string name, float[] values, params long[] dims)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return new TensorProto
        {
            Name = name,
            DataType = (int)TensorProto.Types.DataType.Float,
            Dims = { dims },
            RawData = ByteString.CopyFrom(bytes),
        };
    }

    /// <summary>Y = Relu(X + W), W a 2x3 initializer.</summary>
    public static ModelProto AddRelu() => Model(new GraphProto
    {
        Name = "add_relu",
        Input = { FloatValue("X", 2, 3) },
        Output = { FloatValue("Y", 2, 3) },
        Initializer = { FloatTensor("W", [1, 2, 3, 4, 5, 6], 2, 3) },
        Node =
        {
            Node("Add", "add", ["X", "W"], ["S"]),
            Node("Relu", "relu", ["S"], ["Y"]),
        },
    });

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> as plain protobuf bytes.</summary>
    public static string Write(ModelProto model, string path)
    {
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }
}
