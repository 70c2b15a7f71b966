using System.Runtime.InteropServices;
using Edge.Onnx.Protobuf;
using Edge.Optimizer.Data;
using Edge.Sdk.Processing.Preprocessing;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Optimizer.Search.Device;

/// <summary>
/// Writes one golden sample for a model in the ONNX test-data layout (<c>input_K.pb</c>, <c>output_K.pb</c>): a real
/// input from the judging data and the outputs the model itself produces on it. A device times a bench candidate on
/// that input, and the package's health gate would check the outputs if it were deployed.
/// </summary>
internal static class GoldenSampleWriter
{
    public static void Write(string modelPath, DataSample sample, PreprocessSpec? preprocess, string folder)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(modelPath, options);
        var infos = session.InputNames.Select(n => new Sdk.Inference.TensorInfo(n, session.InputMetadata[n])).ToArray();
        var inputs = new SampleInputBuilder(infos, preprocess).Build(sample);
        Directory.CreateDirectory(folder);
        var values = new List<OrtValue>();
        try
        {
            for (var k = 0; k < inputs.Count; k++)
            {
                values.Add(inputs[k].ToOrtValue());
                File.WriteAllBytes(Path.Combine(folder, $"input_{k}.pb"), Tensor(inputs[k].Name, inputs[k].ElementType, inputs[k].Shape, Bytes(inputs[k].Data)));
            }

            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, [.. inputs.Select(i => i.Name)], values, session.OutputNames);
            for (var k = 0; k < outputs.Count; k++)
            {
                var info = outputs[k].GetTensorTypeAndShape();
                File.WriteAllBytes(Path.Combine(folder, $"output_{k}.pb"), Tensor(session.OutputNames[k], info.ElementDataType, info.Shape, OutputBytes(outputs[k], info.ElementDataType)));
            }
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    private static byte[] Bytes(Array data) => data switch
    {
        float[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
        double[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
        long[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
        int[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
        byte[] a => a,
        sbyte[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
        _ => throw new InvalidDataException($"A golden input of {data.GetType().Name} cannot be written; the bench takes float, double, int32, int64, uint8 and int8 inputs."),
    };

    private static byte[] OutputBytes(OrtValue value, TensorElementType type) => type switch
    {
        TensorElementType.Float => MemoryMarshal.AsBytes(value.GetTensorDataAsSpan<float>()).ToArray(),
        TensorElementType.Double => MemoryMarshal.AsBytes(value.GetTensorDataAsSpan<double>()).ToArray(),
        TensorElementType.Int64 => MemoryMarshal.AsBytes(value.GetTensorDataAsSpan<long>()).ToArray(),
        TensorElementType.Int32 => MemoryMarshal.AsBytes(value.GetTensorDataAsSpan<int>()).ToArray(),
        TensorElementType.UInt8 => value.GetTensorDataAsSpan<byte>().ToArray(),
        TensorElementType.Int8 => MemoryMarshal.AsBytes(value.GetTensorDataAsSpan<sbyte>()).ToArray(),
        _ => throw new InvalidDataException($"A golden output of element type {type} cannot be written."),
    };

    private static byte[] Tensor(string name, TensorElementType type, IEnumerable<long> shape, byte[] raw)
    {
        var proto = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        proto.Dims.AddRange(shape);
        return proto.ToByteArray();
    }
}
