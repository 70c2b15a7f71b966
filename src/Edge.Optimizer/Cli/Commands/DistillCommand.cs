using System.CommandLine;
using Edge.CommandLine;
using Edge.Optimizer.Passes.Distill;
using Edge.Optimizer.Pipeline;

namespace Edge.Optimizer.Cli.Commands;

/// <summary>
/// <c>edge-optimize distill --teacher t.onnx (--student s.onnx | --width w) -o out.onnx --data &lt;dataset&gt;</c>: checks
/// that TorchSharp loads, parses its options into a recipe with one distill step and runs it through the pipeline.
/// </summary>
internal static class DistillCommand
{
    public static Command Build(CliContext context)
    {
        var teacher = new Option<FileInfo>("--teacher") { Description = "The teacher .onnx model (run in ONNX Runtime).", Required = true };
        var student = new Option<FileInfo?>("--student") { Description = "The student .onnx model: a pruned model or a smaller model with the teacher's classes." };
        var width = new Option<double?>("--width") { Description = "Instead of --student: a copy of the teacher with this fraction (0..1] of channels, cut by channel surgery." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the trained student.", Required = true };
        var data = new Option<string>("--data") { Description = "Training dataset, e.g. mnist:DIR@0:5000 or images:DIR.", Required = true };
        var labels = new Option<bool>("--labels") { Description = "Add (1 - alpha) x cross-entropy with the dataset's labels." };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training set.", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch-size") { Description = "Samples per step.", DefaultValueFactory = _ => 64 };
        var lr = new Option<double?>("--lr") { Description = "Peak learning rate of the cosine schedule (default 0.001 for adamw, 0.01 for sgd)." };
        var temperature = new Option<double>("--temperature") { Description = "Softening temperature T.", DefaultValueFactory = _ => 4 };
        var alpha = new Option<double>("--alpha") { Description = "Weight of the KL term; (1 - alpha) weighs cross-entropy with --labels.", DefaultValueFactory = _ => 0.7 };
        var optimizer = new Option<DistillOptimizer>("--optimizer") { Description = "adamw or sgd (momentum 0.9).", DefaultValueFactory = _ => DistillOptimizer.AdamW, CustomParser = r => CommonOptions.ParseWith(r, DistillOptions.ParseOptimizer) };
        var eval = new Option<string?>("--eval") { Description = "Dataset evaluated through the SDK after each epoch (accuracy and agreement with the teacher)." };
        var augment = new Option<string?>("--augment") { Description = "Comma-separated: flip, crop." };
        var seed = new Option<int>("--seed") { Description = "Seed of shuffling, augmentation and dropout.", DefaultValueFactory = _ => 0 };
        var hints = new Option<string[]>("--hint") { Description = "Hint loss on matched tensors, student_tensor=teacher_tensor (repeatable).", AllowMultipleArgumentsPerToken = true };
        var hintWeight = new Option<double>("--hint-weight") { Description = "Weight of the hint loss.", DefaultValueFactory = _ => 1 };
        var preprocess = CommonOptions.Preprocess();
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint saved after the last finished epoch." };
        var checkpoint = new Option<DirectoryInfo?>("--checkpoint-dir") { Description = "Checkpoint folder (default: OUTPUT.checkpoint)." };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Stop after this many steps in total (smoke runs)." };
        var threads = new Option<int>("--threads") { Description = "Threads for TorchSharp and ONNX Runtime.", DefaultValueFactory = _ => 2 };
        var report = new Option<FileInfo?>("--report") { Description = "Write the report as JSON here." };
        var command = new Command("distill", "Distill a teacher into a pruned, smaller or narrower student with TorchSharp; writes the trained student ONNX.")
        {
            teacher, student, width, output, data, labels, epochs, batch, lr, temperature, alpha, optimizer, eval, augment, seed, hints, hintWeight, preprocess, resume, checkpoint, maxSteps, threads, report,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            // Fail in one line before reading anything when libtorch cannot load (Debian 12 without the build step).
            TorchSharpRuntime.EnsureAvailable();
            var studentFile = parseResult.GetValue(student);
            var widthValue = parseResult.GetValue(width);
            if ((studentFile is null) == (widthValue is null))
            {
                throw new CliUsageException("Give exactly one of --student <s.onnx> and --width <0..1>.");
            }

            var outputPath = parseResult.GetValue(output)!.FullName;
            var options = new DistillOptions
            {
                TeacherPath = parseResult.GetValue(teacher)!.FullName,
                Width = widthValue,
                Dataset = parseResult.GetValue(data)!,
                UseLabels = parseResult.GetValue(labels),
                Epochs = parseResult.GetValue(epochs),
                BatchSize = parseResult.GetValue(batch),
                LearningRate = parseResult.GetValue(lr),
                Temperature = parseResult.GetValue(temperature),
                Alpha = parseResult.GetValue(alpha),
                Optimizer = parseResult.GetValue(optimizer),
                EvalDataset = parseResult.GetValue(eval),
                Augment = [.. (parseResult.GetValue(augment) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                Seed = parseResult.GetValue(seed),
                Hints = [.. parseResult.GetValue(hints) ?? []],
                HintWeight = parseResult.GetValue(hintWeight),
                PreprocessPath = parseResult.GetValue(preprocess)?.FullName,
                // Left empty, the checkpoints follow the output (OUTPUT.checkpoint), also when the recipe is replayed elsewhere.
                CheckpointDirectory = parseResult.GetValue(checkpoint)?.FullName ?? "",
                Resume = parseResult.GetValue(resume),
                MaxSteps = parseResult.GetValue(maxSteps),
                Threads = parseResult.GetValue(threads),
            };
            var recipe = new Recipe
            {
                Input = studentFile?.FullName ?? options.TeacherPath,
                Output = outputPath,
                Steps = [PipelineCommand.Step(new DistillPass(), options)],
            };
            return await PipelineCommand.RunAsync(context, parseResult, recipe, parseResult.GetValue(report)?.FullName, fromStep: 1, sourceRecipePath: null, cancellationToken);
        });
        return command;
    }
}
