using System.Runtime.InteropServices;
using Edge.Onnx.Protobuf;
using Edge.Optimizer.Data;
using Edge.Quickstart.Optimization;
using Edge.Sdk.Inference;
using Edge.Sdk.Processing.Preprocessing;
using Google.Protobuf;

namespace Edge.Quickstart.Release;

/// <summary>
/// Golden samples for a package: real inputs from the data and the outputs a reference model really produces on
/// them, as ONNX TensorProto files (<c>sample_K/input_0.pb</c>, <c>output_0.pb</c>). The device's health gate runs
/// the candidate on the inputs and must reproduce the outputs within the package's tolerances.
/// </summary>
internal static class GoldenSamples
{
    public const int Count = 3;

    public static void Write(string referenceModel, DatasetSpec samples, PreprocessSpec? preprocess, string folder)
    {
        using var session = EdgeSession.Load(referenceModel, ModelComparison.SessionOptions());
        CheckClassifier(session, referenceModel);
        var builder = new SampleInputBuilder(session.Inputs, preprocess);
        var outputInfo = session.Outputs[0];
        var outputShape = outputInfo.Dimensions.Select(d => d < 1 ? 1L : d).ToArray();
        var output = new float[outputShape.Aggregate(1L, (a, b) => a * b)];
        var k = 0;
        foreach (var sample in DatasetFactory.Open(samples).Read().Take(Count))
        {
            var input = builder.Build(sample)[0];
            var pixels = (float[])input.Data;
            session.Run<float, float>(pixels, output);
            var sampleFolder = Directory.CreateDirectory(Path.Combine(folder, $"sample_{k++}")).FullName;
            File.WriteAllBytes(Path.Combine(sampleFolder, "input_0.pb"), Tensor(input.Name, input.Shape, pixels));
            File.WriteAllBytes(Path.Combine(sampleFolder, "output_0.pb"), Tensor(outputInfo.Name, outputShape, output));
        }
    }

    /// <summary>The quickstart's app and gate feed one float32 tensor and read one float32 score vector.</summary>
    public static void CheckClassifier(EdgeSession session, string model)
    {
        if (session.Inputs.Count != 1 || session.Outputs.Count < 1
            || session.Inputs[0].ElementClrType != typeof(float) || session.Outputs[0].ElementClrType != typeof(float))
        {
            throw new InvalidDataException(
                $"Model '{model}' has inputs ({string.Join(", ", session.Inputs)}) and outputs ({string.Join(", ", session.Outputs)}); " +
                "the quickstart needs a classifier with one float32 input and a float32 score output.");
        }
    }

    private static byte[] Tensor(string name, long[] shape, float[] values)
    {
        var proto = new TensorProto
        {
            Name = name,
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())),
        };
        proto.Dims.AddRange(shape);
        return proto.ToByteArray();
    }
}
