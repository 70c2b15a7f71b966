using Edge.Sdk.Inference;
using Edge.TestUtilities;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Sdk.Tests.Inference;

/// <summary>
/// float16 models take and give <see cref="Half"/> (what the preprocessor writes) as well as ONNX Runtime's
/// <see cref="Float16"/>: the shared SqueezeNet 1.0 in float16 against its float32 twin.
/// </summary>
public sealed class Float16BindingTests
{
    private static string Fp16Model => TestData.File("models/classifiers/squeezenet1.0/SqueezeNet_fp16.onnx");

    [Fact]
    public void HalfInputAndOutput_MatchTheFloat32Model()
    {
        var input = CaffeStyleInput();
        var reference = RunFloat32(input);

        using var session = EdgeSession.Load(Fp16Model);
        using var request = session.CreateRequest();
        var inputName = session.Inputs[0].Name;
        request.SetInput<Half>(inputName, input.Select(v => (Half)v).ToArray(), [1, 3, 224, 224]);
        request.Run();
        var output = request.GetOutput<Half>(session.Outputs[0].Name).ToArray().Select(h => (float)h).ToArray();

        // float16 arithmetic: the softmax outputs agree to a few 1e-4 (0.00057 at most over 50 photos in eval).
        TestModels.AssertClose(reference, output, 5e-3f);
        Assert.Equal(ArgMax(reference), ArgMax(output));
    }

    [Fact]
    public void HalfAndFloat16_GiveTheSameBits()
    {
        var input = CaffeStyleInput();
        using var session = EdgeSession.Load(Fp16Model);
        using var request = session.CreateRequest();
        var inputName = session.Inputs[0].Name;
        var outputName = session.Outputs[0].Name;

        request.SetInput<Half>(inputName, input.Select(v => (Half)v).ToArray(), [1, 3, 224, 224]);
        request.Run();
        var viaHalf = request.GetOutput<Half>(outputName).ToArray().Select(BitConverter.HalfToUInt16Bits).ToArray();
        var viaFloat16 = request.GetOutput<Float16>(outputName).ToArray().Select(f => f.value).ToArray();
        Assert.Equal(viaHalf, viaFloat16);

        var halves = input.Select(v => (Half)v).ToArray();
        request.SetInput<Float16>(inputName, System.Runtime.InteropServices.MemoryMarshal.Cast<Half, Float16>(halves).ToArray(), [1, 3, 224, 224]);
        var destination = new Half[session.Outputs[0].Dimensions.Aggregate(1L, (a, d) => a * d)];
        request.SetOutput<Half>(outputName, destination);
        request.Run();
        Assert.Equal(viaHalf, destination.Select(BitConverter.HalfToUInt16Bits).ToArray());
    }

    [Fact]
    public void SingleForFloat16Input_NamesBothAcceptedTypes()
    {
        using var session = EdgeSession.Load(Fp16Model);
        using var request = session.CreateRequest();

        var error = Assert.Throws<InputMismatchException>(
            () => request.SetInput<float>(session.Inputs[0].Name, new float[3 * 224 * 224], [1, 3, 224, 224]));

        Assert.Contains("float16 (Half or Float16)", error.Expected, StringComparison.Ordinal);
        Assert.Equal("Single", error.Actual);
    }

    private static float[] RunFloat32(float[] input)
    {
        using var session = EdgeSession.Load(TestModels.Squeezenet);
        using var request = session.CreateRequest();
        request.SetInput<float>(session.Inputs[0].Name, input, [1, 3, 224, 224]);
        request.Run();
        return request.GetOutput<float>(session.Outputs[0].Name).ToArray();
    }

    /// <summary>A fixed pseudo-random image in SqueezeNet 1.0's input range (0..255 minus the channel mean).</summary>
    private static float[] CaffeStyleInput()
    {
        var random = new Random(7);
        return [.. Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)(random.NextDouble() * 255 - 117))];
    }

    private static int ArgMax(float[] values) => Array.IndexOf(values, values.Max());
}
