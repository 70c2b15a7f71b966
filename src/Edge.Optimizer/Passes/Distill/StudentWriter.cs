using Edge.Onnx;
using Edge.Onnx.Graph;
using Edge.Optimizer.Passes.Distill.Interpreter;

namespace Edge.Optimizer.Passes.Distill;

/// <summary>Writes trained weights and BatchNorm running statistics back into a copy of the student: same graph, new initializers.</summary>
internal static class StudentWriter
{
    public static OnnxModel Write(OnnxModel student, OnnxTorchModule module)
    {
        var proto = student.Proto.Clone();
        foreach (var initializer in proto.Graph.Initializer)
        {
            var tensor = module.TrainableParameters.TryGetValue(initializer.Name, out var parameter)
                ? parameter
                : module.RunningStatistics.GetValueOrDefault(initializer.Name);
            if (tensor is not null)
            {
                TensorData.WriteFloats(initializer, tensor.detach().contiguous().data<float>().ToArray());
            }
        }

        return OnnxModel.FromProto(proto, student.ExternalDataDirectory);
    }
}
