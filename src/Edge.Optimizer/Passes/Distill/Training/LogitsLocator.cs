using Edge.Onnx;

namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// Finds the class scores to distill on: the first graph output, or, when that output is made by a Softmax, the
/// Softmax's input (the logits), because the KL term softens logits by the temperature itself.
/// </summary>
internal static class LogitsLocator
{
    public static string Find(OnnxModel model)
    {
        var graph = model.GetGraph();
        var output = graph.Proto.Output[0].Name;
        var producer = graph.GetProducer(output);
        return producer is { OpType: "Softmax" } ? producer.Input[0] : output;
    }
}
