using Edge.Onnx;
using Edge.Onnx.Graph;
using Edge.Optimizer.Calibration;
using Edge.Optimizer.Data;
using Edge.Optimizer.Passes.Quantize.Preparation;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Optimizer.Passes.Quantize.Static;

/// <summary>
/// Static int8 QDQ quantization of a prepared model (see <see cref="ModelPreparer"/>): calibrate every float tensor of
/// the main graph once, then plan, assign parameters and write. Calibration is kept separate so the accuracy search
/// can re-quantize with other exclusions without running the calibration set again.
/// </summary>
internal static class StaticQuantizer
{
    public static CalibrationResult Calibrate(
        OnnxModel prepared,
        IDataset dataset,
        PreprocessSpec? spec,
        QuantizeOptions options,
        IProgress<int>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(options);
        var graph = prepared.Proto.Graph;
        var tensors = graph.Input.Select(i => i.Name).Concat(graph.Node.SelectMany(n => n.Output)).Where(n => n.Length > 0);
        var settings = new CalibrationSettings(options.Method, options.Percentile, options.CalibrationBatchSize, options.Threads);
        return ActivationCalibrator.Calibrate(prepared, tensors, dataset, spec, settings, progress, cancellationToken);
    }

    /// <summary>Quantizes a copy of <paramref name="prepared"/>; the input is not changed.</summary>
    public static StaticQuantizationResult Quantize(OnnxModel prepared, CalibrationResult calibration, QuantizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(calibration);
        var copy = OnnxModel.FromProto(prepared.Proto.Clone(), prepared.ExternalDataDirectory);
        var graph = copy.GetGraph();
        var context = new StaticPlanContext(graph, calibration.Types, options);
        var ranges = SaturatingRanges.Narrow(graph, calibration.Ranges, out var narrowed);
        var guarded = options.GuardStarvedChannels ? StarvedChannels.Find(graph, ranges, calibration.ChannelRanges, options.ChannelGuardLevels) : [];
        var plan = StaticPlanner.Plan(graph, context, ranges, guarded);
        plan.NarrowedRanges = narrowed;
        var parameters = ParameterAssigner.Assign(plan, graph, ranges, options);

        // Names as they will read after writing: a folded output takes its ReLU's name; it is the DequantizeLinear output.
        var folded = plan.Folds.ToDictionary(f => (f.Producer, f.OutputIndex), f => f.Activation.Output[0]);
        var tensors = plan.Nodes
            .SelectMany(p => p.Outputs.Select(o =>
            {
                var name = folded.TryGetValue((p.Node, o), out var renamed) ? renamed : p.Node.Output[o];
                TensorRange? saturation = ranges.TryGetValue(name, out var used) && calibration.Ranges.TryGetValue(name, out var measured) && used != measured ? used : null;
                return new QuantizedTensorInfo(name, p.Node.Name, p.Node.OpType, [.. p.ActivationInputs.Select(i => p.Node.Input[i])], saturation);
            }))
            .ToList();
        var writer = new QdqWriter(copy.Proto.Graph, new NameAllocator(copy.Proto), options, parameters);
        writer.Write(plan);
        foreach (var subgraphHolder in copy.Proto.Graph.Node.Where(ModelChecks.HoldsSubgraph))
        {
            plan.FloatNodes.Add(new FloatNode(subgraphHolder.Name, subgraphHolder.OpType, "its subgraphs are left float deliberately: static ranges inside branches depend on which branch ran"));
        }

        return new StaticQuantizationResult(copy, plan, tensors, writer.Warnings);
    }
}
