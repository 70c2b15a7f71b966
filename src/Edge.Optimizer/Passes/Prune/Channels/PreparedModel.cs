using Edge.Onnx;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>A model ready for channel pruning: constant reshapes folded, and every value's shape from one probe run.</summary>
internal sealed class PreparedModel
{
    public PreparedModel(OnnxModel model, IReadOnlyDictionary<string, long[]> shapes)
    {
        Model = model;
        Shapes = shapes;
    }

    /// <summary>The folded model; pruning always works on a clone of it.</summary>
    public OnnxModel Model { get; }

    public IReadOnlyDictionary<string, long[]> Shapes { get; }

    public OnnxModel Clone() => OnnxModel.FromProto(Model.Proto.Clone(), Model.ExternalDataDirectory);
}
