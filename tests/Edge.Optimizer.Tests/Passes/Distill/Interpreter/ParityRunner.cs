using Edge.Onnx;
using Edge.Optimizer.Passes.Distill.Interpreter;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;

namespace Edge.Optimizer.Tests.Passes.Distill.Interpreter;

/// <summary>Runs one model in ONNX Runtime and in the TorchSharp interpreter on the same inputs.</summary>
internal static class ParityRunner
{
    public static List<(float[] Data, long[] Shape)> RunOrt(OnnxModel model, IReadOnlyDictionary<string, (float[] Data, long[] Shape)> feeds)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model.Proto.ToByteArray(), options);
        var names = feeds.Keys.ToList();
        var values = names.Select(n => OrtValue.CreateTensorValueFromMemory(feeds[n].Data, feeds[n].Shape)).ToList();
        try
        {
            var outputNames = model.Proto.Graph.Output.Select(o => o.Name).ToList();
            using var results = session.Run(new RunOptions(), names, values, outputNames);
            return [.. results.Select(r => (r.GetTensorDataAsSpan<float>().ToArray(), r.GetTensorTypeAndShape().Shape))];
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    public static List<(float[] Data, long[] Shape)> RunInterpreter(OnnxTorchModule module, IReadOnlyDictionary<string, (float[] Data, long[] Shape)> feeds)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var inputs = feeds.ToDictionary(f => f.Key, f => torch.tensor(f.Value.Data, f.Value.Shape), StringComparer.Ordinal);
        var outputs = module.Forward(inputs, module.OutputNames);
        return [.. module.OutputNames.Select(n => (outputs[n].contiguous().data<float>().ToArray(), outputs[n].shape))];
    }

    /// <summary>Asserts the interpreter (in eval mode) matches ONNX Runtime within <paramref name="tolerance"/> on every output.</summary>
    public static double AssertParity(OnnxModel model, IReadOnlyDictionary<string, (float[] Data, long[] Shape)> feeds, double tolerance = 1e-4)
    {
        var expected = RunOrt(model, feeds);
        using var module = OnnxTorchModule.Create(model);
        module.eval();
        var actual = RunInterpreter(module, feeds);
        Assert.Equal(expected.Count, actual.Count);
        var worst = 0.0;
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Shape, actual[i].Shape);
            for (var j = 0; j < expected[i].Data.Length; j++)
            {
                var difference = Math.Abs(expected[i].Data[j] - actual[i].Data[j]);
                worst = Math.Max(worst, difference);
                Assert.True(difference <= tolerance * Math.Max(1, Math.Abs(expected[i].Data[j])),
                    $"output {i} element {j}: ONNX Runtime {expected[i].Data[j]} vs interpreter {actual[i].Data[j]} (difference {difference})");
            }
        }

        return worst;
    }
}
