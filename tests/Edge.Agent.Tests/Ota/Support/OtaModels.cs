using Edge.Onnx.Protobuf;
using Edge.TestUtilities;
using Google.Protobuf;

namespace Edge.Agent.Tests.Ota.Support;

/// <summary>
/// Same-signature variants of mnist.onnx (input Input3 [1,1,28,28], output Plus214_Output_0 [1,10]) built with the
/// ONNX protobuf: the digit classifier plus a side chain of <c>rounds</c> dense 64×256 · 256×256 MatMuls on the input,
/// folded into the output through a zero matrix. The side chain depends on the input, so ONNX Runtime cannot fold it
/// away; its cost grows linearly with <c>rounds</c>, which makes "3× slower" an honest model, not a sleep.
/// <c>drift</c> ≠ 0 makes that matrix non-zero, so the outputs move away from the digit classifier's (a broken model);
/// <c>negate</c> negates the scores, so the top-1 class changes on every input (a classifier that disagrees).
/// </summary>
internal static class OtaModels
{
    public const string InputName = "Input3";
    public const string OutputName = "Plus214_Output_0";
    private const int Rows = 64;
    private const int Hidden = 256;

    public static string MnistPath => TestData.File("models/mnist/mnist.onnx");

    public static string GoldenInputPath => TestData.File("models/mnist/mnist_generated_test_data/test_data_set_0/input_0.pb");

    /// <summary>Writes a variant to <paramref name="path"/>; <paramref name="paddingBytes"/> adds an unused initializer to make the file that much larger.</summary>
    public static string Write(string path, int rounds, float drift = 0, long paddingBytes = 0, bool failWhenFirstPixelIsSet = false, bool negate = false)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(MnistPath));
        var graph = model.Graph;
        if (rounds > 0)
        {
            AddSideChain(graph, rounds, drift);
        }

        if (failWhenFirstPixelIsSet)
        {
            AddTrap(graph);
        }

        if (negate)
        {
            // The scores negated: the top-1 class becomes the least likely one (a classifier that disagrees on every input).
            var last = graph.Node.Single(n => n.Output.Contains(OutputName));
            last.Output[last.Output.IndexOf(OutputName)] = OutputName + "_unnegated";
            last.Name += "_unnegated";
            graph.Node.Add(Node("Neg", [OutputName + "_unnegated"], OutputName));
        }

        if (paddingBytes > 0)
        {
            var padding = new byte[paddingBytes / 4 * 4];
            new Random(7).NextBytes(padding);
            graph.Initializer.Add(new TensorProto { Name = "padding", DataType = (int)TensorProto.Types.DataType.Float, Dims = { padding.Length / 4 }, RawData = ByteString.CopyFrom(padding) });

            // An initializer no node reads is refused at load (IR 3), so one element of it is read and multiplied by zero.
            var producer = graph.Node.Single(n => n.Output.Contains(OutputName));
            producer.Output[producer.Output.IndexOf(OutputName)] = OutputName + "_unpadded";
            producer.Name += "_unpadded";
            graph.Initializer.Add(Int64s("padding_index", [0]));
            graph.Initializer.Add(Floats("padding_zero", [1], () => 0f));
            graph.Node.Add(Node("Gather", ["padding", "padding_index"], "padding_first"));
            graph.Node.Add(Node("Mul", ["padding_first", "padding_zero"], "padding_nothing"));
            graph.Node.Add(Node("Add", [OutputName + "_unpadded", "padding_nothing"], OutputName));
        }

        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    private static void AddSideChain(GraphProto graph, int rounds, float drift)
    {
        var producer = graph.Node.Single(n => n.Output.Contains(OutputName));
        var index = producer.Output.IndexOf(OutputName);
        producer.Output[index] = OutputName + "_digits";
        var random = new Random(42);
        graph.Initializer.Add(Int64s("side_flat_shape", [1, 784]));
        graph.Initializer.Add(Int64s("side_rows_shape", [Rows, 784]));
        graph.Initializer.Add(Floats("side_w0", [784, Hidden], () => (float)((random.NextDouble() - 0.5) * 0.002)));
        graph.Initializer.Add(Floats("side_w", [Hidden, Hidden], () => (float)((random.NextDouble() - 0.5) * 2 / Math.Sqrt(Hidden))));
        graph.Initializer.Add(Floats("side_ones", [1, Rows], () => 1f / Rows));
        graph.Initializer.Add(Floats("side_out", [Hidden, 10], () => drift));
        graph.Node.Add(Node("Reshape", [InputName, "side_flat_shape"], "side_flat"));
        graph.Node.Add(Node("Expand", ["side_flat", "side_rows_shape"], "side_rows"));
        graph.Node.Add(Node("MatMul", ["side_rows", "side_w0"], "side_h0"));
        var current = "side_h0";
        for (var i = 0; i < rounds; i++)
        {
            graph.Node.Add(Node("MatMul", [current, "side_w"], $"side_h{i + 1}"));
            current = $"side_h{i + 1}";
        }

        graph.Node.Add(Node("MatMul", ["side_ones", current], "side_mean"));
        graph.Node.Add(Node("MatMul", ["side_mean", "side_out"], "side_logits"));
        graph.Node.Add(Node("Add", [OutputName + "_digits", "side_logits"], OutputName));
    }

    /// <summary>
    /// Adds table[first pixel] to the output, where the table holds one zero: a no-op for inputs whose first pixel is
    /// 0 (the golden digit) and an ONNX Runtime index-out-of-bounds error for any other, so the model passes its golden
    /// samples yet fails live calls. (A Gather cannot be optimized away the way a shape-preserving Reshape can.)
    /// </summary>
    private static void AddTrap(GraphProto graph)
    {
        var producer = graph.Node.Single(n => n.Output.Contains(OutputName));
        producer.Output[producer.Output.IndexOf(OutputName)] = OutputName + "_untrapped";
        producer.Name += "_untrapped";
        graph.Initializer.Add(Int64s("trap_flat_shape", [1, 784]));
        graph.Initializer.Add(Int64s("trap_index", [0]));
        graph.Initializer.Add(Int64s("trap_one_shape", [1]));
        graph.Initializer.Add(Floats("trap_table", [1], () => 0f));
        graph.Node.Add(Node("Reshape", [InputName, "trap_flat_shape"], "trap_flat"));
        var gather = Node("Gather", ["trap_flat", "trap_index"], "trap_first");
        gather.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(gather);
        var cast = Node("Cast", ["trap_first"], "trap_first_int");
        cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Int64 });
        graph.Node.Add(cast);
        graph.Node.Add(Node("Reshape", ["trap_first_int", "trap_one_shape"], "trap_first_vector"));
        graph.Node.Add(Node("Gather", ["trap_table", "trap_first_vector"], "trap_zero"));
        graph.Node.Add(Node("Add", [OutputName + "_untrapped", "trap_zero"], OutputName));
    }

    private static NodeProto Node(string op, string[] inputs, string output) => new() { OpType = op, Name = output + "_node", Input = { inputs }, Output = { output } };

    private static TensorProto Int64s(string name, long[] values) =>
        new() { Name = name, DataType = (int)TensorProto.Types.DataType.Int64, Dims = { values.Length }, Int64Data = { values } };

    private static TensorProto Floats(string name, long[] dims, Func<float> value)
    {
        var count = (int)dims.Aggregate(1L, (a, b) => a * b);
        var data = new float[count];
        for (var i = 0; i < count; i++)
        {
            data[i] = value();
        }

        var bytes = new byte[count * 4];
        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        return new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, Dims = { dims }, RawData = ByteString.CopyFrom(bytes) };
    }
}
