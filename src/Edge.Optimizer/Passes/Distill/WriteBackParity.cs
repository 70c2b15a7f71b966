using Edge.Onnx;
using Edge.Optimizer.Passes.Distill.Interpreter;
using Edge.Optimizer.Passes.Distill.Training;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;

namespace Edge.Optimizer.Passes.Distill;

/// <summary>
/// Checks the written-back student: ONNX Runtime on the saved model against the TorchSharp forward pass (eval mode)
/// of the same weights, on the first samples of the training set. Returns the largest difference of the first output
/// relative to max(1, |value|), so large logits are judged at float precision and small ones absolutely.
/// </summary>
internal static class WriteBackParity
{
    public static double Measure(OnnxModel model, TrainingSet data, int samples)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(model.Proto.ToByteArray(), options);
        using var module = OnnxTorchModule.Create(model);
        module.eval();
        var output = model.Proto.Graph.Output[0].Name;
        var worst = 0.0;
        for (var i = 0; i < Math.Min(samples, data.Count); i++)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var shape = session.InputMetadata[module.InputNames[0]].Dimensions.Length == data.SampleShape.Length ? data.SampleShape : [1, .. data.SampleShape];
            using var input = OrtValue.CreateTensorValueFromMemory(data.Inputs[i], shape);
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, [module.InputNames[0]], [input], [output]);
            var expected = results[0].GetTensorDataAsSpan<float>().ToArray();
            var actual = module.Forward(new Dictionary<string, torch.Tensor> { [module.InputNames[0]] = torch.tensor(data.Inputs[i], shape) }, [output])[output]
                .contiguous().data<float>().ToArray();
            for (var j = 0; j < expected.Length; j++)
            {
                worst = Math.Max(worst, Math.Abs(expected[j] - actual[j]) / Math.Max(1, Math.Abs(expected[j])));
            }
        }

        return worst;
    }
}
