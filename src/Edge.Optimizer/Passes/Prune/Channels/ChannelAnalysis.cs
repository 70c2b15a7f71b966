using Edge.Onnx;
using Edge.Onnx.Protobuf;
using Edge.Optimizer.Passes.Prune.Surgery;

namespace Edge.Optimizer.Passes.Prune.Channels;

/// <summary>What <see cref="ChannelAnalyzer"/> learned about a model: its channel groups and every edit pruning them needs.</summary>
internal sealed class ChannelAnalysis
{
    public ChannelAnalysis(OnnxModel model, ConstantStore constants, ChannelGroups groups, IReadOnlyList<ChannelEdit> edits,
        IReadOnlyList<ChannelSource> sources, IReadOnlyList<(NodeProto Node, int Group)> gammas, IReadOnlyDictionary<string, ChannelLayout> layouts,
        IReadOnlyDictionary<string, long[]> shapes)
    {
        Shapes = shapes;
        Model = model;
        Constants = constants;
        Groups = groups;
        Edits = edits;
        Sources = sources;
        Gammas = gammas;
        Layouts = layouts;
    }

    /// <summary>The model the analysis describes; the surgery edits it in place.</summary>
    public OnnxModel Model { get; }

    public ConstantStore Constants { get; }

    public ChannelGroups Groups { get; }

    public IReadOnlyList<ChannelEdit> Edits { get; }

    public IReadOnlyList<ChannelSource> Sources { get; }

    /// <summary>BatchNormalization nodes applied directly to a whole group (their scale is the bn-gamma criterion).</summary>
    public IReadOnlyList<(NodeProto Node, int Group)> Gammas { get; }

    /// <summary>Every value's shape from the probe run.</summary>
    public IReadOnlyDictionary<string, long[]> Shapes { get; }

    /// <summary>The channel layout of every value that carries prunable channels.</summary>
    public IReadOnlyDictionary<string, ChannelLayout> Layouts { get; }
}
