using System.CommandLine;
using Edge.CommandLine;
using Edge.Optimizer.Calibration;
using Edge.Optimizer.Passes.Quantize;
using Edge.Optimizer.Pipeline;

namespace Edge.Optimizer.Cli.Commands;

/// <summary>
/// <c>edge-optimize quantize &lt;in.onnx&gt; -o &lt;out.onnx&gt; --mode static|dynamic|fp16 [options]</c>: parses its
/// options into a recipe with one quantize step and runs it through the pipeline (<see cref="PipelineCommand"/>).
/// </summary>
internal static class QuantizeCommand
{
    public static Command Build(CliContext context)
    {
        var input = new Argument<FileInfo>("model") { Description = "The float32 .onnx model to quantize." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the quantized model.", Required = true };
        var mode = new Option<QuantizeMode>("--mode") { Description = "static (int8 QDQ, needs --calibration), dynamic (int8 weights) or fp16.", DefaultValueFactory = _ => QuantizeMode.Static };
        var calibration = new Option<string?>("--calibration") { Description = "Calibration dataset: mnist:<dir> | images:<dir> | npy:<file> | testdata:<dir>, optionally @from:to." };
        var preprocess = CommonOptions.Preprocess();
        var method = new Option<CalibrationMethod>("--method") { Description = "Calibration method: minmax, percentile, entropy or mse.", DefaultValueFactory = _ => CalibrationMethod.MinMax };
        var percentile = new Option<double>("--percentile") { Description = "Percentile of |x| kept by --method percentile.", DefaultValueFactory = _ => 99.999 };
        var perChannel = new Option<bool>("--per-channel") { Description = "One weight scale per output channel for Conv, ConvTranspose, Gemm and MatMul." };
        var activationType = new Option<QuantizedType>("--activation-type") { Description = "uint8 (default; fastest on x64) or int8.", DefaultValueFactory = _ => QuantizedType.UInt8 };
        var weightType = new Option<QuantizedType>("--weight-type") { Description = "int8 (default) or uint8.", DefaultValueFactory = _ => QuantizedType.Int8 };
        var symmetricActivations = new Option<bool>("--symmetric-activations") { Description = "Zero point in the middle of the activation range (default asymmetric)." };
        var asymmetricWeights = new Option<bool>("--asymmetric-weights") { Description = "Weights use their min..max range with a zero point (default symmetric)." };
        var excludeNodes = new Option<string?>("--exclude-nodes") { Description = "Comma-separated node names to keep float." };
        var excludeOpTypes = new Option<string?>("--exclude-op-types") { Description = "Comma-separated op types to keep float." };
        var opTypes = new Option<string?>("--op-types") { Description = "Comma-separated op types to quantize (all covered ones when absent)." };
        var maxDrop = new Option<double?>("--max-accuracy-drop") { Description = "Most top-1 points (or agreement points without labels) the result may lose; layers return to float until met. Needs --eval." };
        var eval = new Option<string?>("--eval") { Description = "Evaluation dataset for accuracy and agreement before and after." };
        var report = new Option<FileInfo?>("--report") { Description = "Write the report to this .json file and a .md beside it." };
        var threads = CommonOptions.Threads();
        var batch = new Option<int>("--calibration-batch-size") { Description = "Samples per calibration run when the batch dimension is dynamic.", DefaultValueFactory = _ => 8 };
        var noPreoptimize = new Option<bool>("--no-preoptimize") { Description = "Skip ONNX Runtime's basic graph optimizations (constant folding, Conv+BN fusion) before quantizing." };
        var fp16Io = new Option<bool>("--fp16-io") { Description = "fp16 mode: make graph inputs and outputs fp16 too (default: they stay float32)." };
        var blockList = new Option<string?>("--fp16-block-list") { Description = "fp16 mode: comma-separated op types kept float32 (replaces the default list)." };
        var latencyRuns = new Option<int>("--latency-runs") { Description = "Interleaved latency runs per model for the report (0 = only check that it runs).", DefaultValueFactory = _ => 100 };
        var noAnalysis = new Option<bool>("--no-layer-analysis") { Description = "Skip the per-layer SQNR/cosine comparison." };
        var noChannelGuard = new Option<bool>("--no-channel-guard") { Description = "Static mode: quantize feature maps even where one 8-bit scale leaves a quarter of their channels starved of levels (by default those stay float)." };
        var guardLevels = new Option<double>("--channel-guard-levels") { Description = "Static mode: the channel guard keeps a feature map float when a quarter of its channels get fewer 8-bit levels than this. Higher: more float, more accuracy, less speed.", DefaultValueFactory = _ => QuantizeOptions.DefaultChannelGuardLevels };
        var command = new Command("quantize", "Quantize a model: static int8 QDQ with calibration, dynamic int8, or fp16; reports size, latency and accuracy before and after.")
        {
            input, output, mode, calibration, preprocess, method, percentile, perChannel, activationType, weightType, symmetricActivations,
            asymmetricWeights, excludeNodes, excludeOpTypes, opTypes, maxDrop, eval, report, threads, batch, noPreoptimize, fp16Io, blockList,
            latencyRuns, noAnalysis, noChannelGuard, guardLevels,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new QuantizeOptions
            {
                Mode = parseResult.GetValue(mode),
                Calibration = parseResult.GetValue(calibration),
                Preprocess = parseResult.GetValue(preprocess)?.FullName,
                Method = parseResult.GetValue(method),
                Percentile = parseResult.GetValue(percentile),
                PerChannel = parseResult.GetValue(perChannel),
                ActivationType = parseResult.GetValue(activationType),
                ActivationSymmetric = parseResult.GetValue(symmetricActivations),
                WeightType = parseResult.GetValue(weightType),
                WeightSymmetric = !parseResult.GetValue(asymmetricWeights),
                ExcludeNodes = List(parseResult.GetValue(excludeNodes)),
                ExcludeOpTypes = List(parseResult.GetValue(excludeOpTypes)),
                OpTypes = List(parseResult.GetValue(opTypes)),
                MaxAccuracyDrop = parseResult.GetValue(maxDrop),
                Eval = parseResult.GetValue(eval),
                Threads = Math.Max(1, parseResult.GetValue(threads)),
                CalibrationBatchSize = parseResult.GetValue(batch),
                Preoptimize = !parseResult.GetValue(noPreoptimize),
                KeepIoTypes = !parseResult.GetValue(fp16Io),
                Fp16BlockList = parseResult.GetValue(blockList) is { } list ? List(list) : QuantizeOptions.DefaultFp16BlockList,
                LatencyRuns = parseResult.GetValue(latencyRuns),
                AnalyzeLayers = !parseResult.GetValue(noAnalysis),
                GuardStarvedChannels = !parseResult.GetValue(noChannelGuard),
                ChannelGuardLevels = parseResult.GetValue(guardLevels),
            };
            var recipe = new Recipe
            {
                Input = parseResult.GetValue(input)!.FullName,
                Output = parseResult.GetValue(output)!.FullName,
                Steps = [PipelineCommand.Step(new QuantizePass(), options)],
            };
            return await PipelineCommand.RunAsync(context, parseResult, recipe, parseResult.GetValue(report)?.FullName, fromStep: 1, sourceRecipePath: null, cancellationToken);
        });
        return command;
    }

    private static IReadOnlyList<string> List(string? text) =>
        text is null ? [] : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
