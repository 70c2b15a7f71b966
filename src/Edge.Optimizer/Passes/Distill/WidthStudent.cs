using Edge.Onnx;
using Edge.Optimizer.Passes.Prune;
using Edge.Optimizer.Passes.Prune.Channels;

namespace Edge.Optimizer.Passes.Distill;

/// <summary>
/// A narrower copy of the teacher for <c>--width w</c>: every prunable channel group keeps a fraction w of its
/// channels (the largest by L1 norm), cut by the pruning engine's graph surgery, so the student starts from the
/// teacher's strongest filters.
/// </summary>
internal static class WidthStudent
{
    public static (OnnxModel Student, IReadOnlyList<string> Warnings) Create(OnnxModel teacher, double width, CancellationToken cancellationToken)
    {
        if (width >= 1)
        {
            return (OnnxModel.FromProto(teacher.Proto.Clone(), teacher.ExternalDataDirectory), []);
        }

        var prepared = ChannelPruner.Prepare(teacher, cancellationToken);
        var settings = new ChannelSelectionSettings(1 - width, PruneScope.Layer, PruneCriterion.L1, MinChannels: 1, ChannelMultiple: 1, new HashSet<string>(StringComparer.Ordinal));
        var outcome = ChannelPruner.PruneVerified(prepared, settings, cancellationToken);
        return (outcome.Model, outcome.Warnings);
    }
}
