using Edge.Onnx.Protobuf;
using Edge.TestUtilities;

namespace Edge.Sdk.Tests.Inference;

/// <summary>Paths of the shared models and readers for their ONNX reference tensors.</summary>
internal static class TestModels
{
    public const string MnistInput = "Input3";
    public const string MnistOutput = "Plus214_Output_0";

    public static string Mnist => TestData.File("models/mnist/mnist.onnx");

    public static string MnistOpset15 => TestData.File("models/mnist/mnist_opset15.onnx");

    public static string Squeezenet => TestData.File("models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx");

    /// <summary>TF BERT QA with inputs int32[batch_size x 7] and outputs float[batch_size x 7]: a real dynamic batch dimension.</summary>
    public static string BertQa => TestData.File("models/nlp/TFBertForQuestionAnswering.onnx");

    public static float[] MnistInputSet(int set) => ReadFloats($"models/mnist/mnist_generated_test_data/test_data_set_{set}/input_0.pb");

    public static float[] MnistOutputSet(int set) => ReadFloats($"models/mnist/mnist_generated_test_data/test_data_set_{set}/output_0.pb");

    public static float[] ReadFloats(string relativePath)
    {
        var tensor = TensorProto.Parser.ParseFrom(File.ReadAllBytes(TestData.File(relativePath)));
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new InvalidDataException($"'{relativePath}' holds data type {tensor.DataType}, expected float.");
        }

        if (!tensor.RawData.IsEmpty)
        {
            return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
        }

        return [.. tensor.FloatData];
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"Element {i}: expected {expected[i]}, got {actual[i]} (tolerance {tolerance}).");
        }
    }
}
