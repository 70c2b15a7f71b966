using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Onnx;
using Edge.Optimizer.Data;
using Edge.Optimizer.Evaluation;
using Edge.Optimizer.Passes.Distill.Interpreter;
using Edge.Optimizer.Passes.Distill.Training;
using Edge.Optimizer.Pipeline;
using Edge.Optimizer.Reports;
using Edge.Sdk.Inference;
using Edge.Sdk.Processing.Preprocessing;
using Google.Protobuf;

namespace Edge.Optimizer.Passes.Distill;

/// <summary>
/// Knowledge distillation: trains a student ONNX graph (interpreted with TorchSharp) to match the teacher's softened
/// outputs from ONNX Runtime, and writes the trained weights back into the same graph. <c>input</c> is the student,
/// or, with <see cref="DistillOptions.Width"/>, the teacher from which a narrower student is cut.
/// </summary>
internal sealed class DistillPass : IOptimizationPass<DistillOptions>
{
    /// <summary>Test seam for fault injection, passed to the trainer (see <see cref="TrainingSetup.NonFiniteLossAt"/>); null in real runs.</summary>
    internal Func<int, long, bool>? NonFiniteLossAt { get; init; }

    public PassDescriptor Descriptor { get; } = new(
        "distill",
        "Train a pruned, smaller or narrower student against a teacher (KL at temperature T, optional labels and hints) with TorchSharp.",
        NeedsData: true,
        ["fp32"],
        ["cpu", "cuda", "tensorrt"]);

    public IReadOnlyList<string> Validate(DistillOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Validate();
    }

    public async Task<PassResult> RunAsync(OnnxModel input, DistillOptions options, PassContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors));
        }

        TorchSharpRuntime.EnsureAvailable();
        if (options.CheckpointDirectory.Length == 0)
        {
            var json = options.ToJson();
            json["checkpoint_directory"] = (context.OutputPath ?? Path.Combine(Path.GetTempPath(), $"edge-distill-{Environment.ProcessId}")) + ".checkpoint";
            options = PassOptionsJson<DistillOptions>.FromJson(json);
        }

        var started = context.TimeProvider.GetTimestamp();
        var teacher = await OnnxModel.LoadAsync(options.TeacherPath, cancellationToken: cancellationToken);
        var preprocess = options.PreprocessPath is null ? null : await PreprocessSpec.FromFileAsync(options.PreprocessPath, cancellationToken);

        // Everything that touches libtorch runs on one dedicated thread (see TrainingThread).
        return await TrainingThread.RunAsync(() => Distill(input, teacher, preprocess, options, context, started, cancellationToken), cancellationToken);
    }

    private PassResult Distill(OnnxModel input, OnnxModel teacher, PreprocessSpec? preprocess, DistillOptions options, PassContext context, long started, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var student = input;
        if (options.Width is { } width)
        {
            (student, var cut) = WidthStudent.Create(input, width, cancellationToken);
            warnings.AddRange(cut);
        }

        using (var check = OnnxTorchModule.Create(student))
        {
            context.Log.WriteLine($"student: {student.Proto.Graph.Node.Count} nodes, {check.TrainableParameters.Values.Sum(p => p.numel()):N0} trainable parameters");
        }

        TrainingSet data;
        using (var session = EdgeSession.Load(options.TeacherPath, CpuSessionOptions.For(options.Threads)()))
        {
            data = TrainingSet.Load(options.Dataset, session.Inputs, preprocess, cancellationToken);
        }

        var wanted = new List<string> { LogitsLocator.Find(teacher) };
        wanted.AddRange(options.HintPairs.Select(p => p.Teacher));
        using var teacherRunner = new TeacherRunner(teacher, wanted, options.Threads);
        CheckCompatible(teacherRunner, student, data);
        var evalSet = options.EvalDataset is null ? null : DatasetFactory.Open(options.EvalDataset);
        using var scratch = new ScratchDirectory("distill");
        var scratchPath = scratch.NewPath("student");
        Func<OnnxModel, CancellationToken, (double?, double?)>? evaluate = evalSet is null ? null : (model, ct) =>
        {
            model.Save(scratchPath);
            var result = ModelEvaluator.Evaluate(scratchPath, evalSet, preprocess, options.TeacherPath, CpuSessionOptions.For(options.Threads), null, ct);
            return (result.Top1, result.Top1Agreement);
        };

        context.Log.WriteLine($"training on {data.Count} samples of {data.Spec} for {options.Epochs} epoch(s), batch {options.BatchSize}");
        var setup = new TrainingSetup(student, teacherRunner, data, options, Fingerprint(student, options), evaluate, context) { NonFiniteLossAt = NonFiniteLossAt };
        var (trained, outcome) = DistillTrainer.Train(setup, cancellationToken);
        var parity = WriteBackParity.Measure(trained, data, 8);
        if (parity > 1e-4)
        {
            warnings.Add($"The written-back student differs from the TorchSharp forward pass by up to {parity:G3} relative to max(1, |value|) (more than 1e-4).");
        }

        if (outcome.ThreadCheck.Note is { } note)
        {
            warnings.Add(note);
        }

        var history = outcome.History;
        var report = new JsonObject
        {
            ["options"] = options.ToJson(),
            ["student"] = options.Width is null ? "given" : $"width {options.Width}",
            ["student_nodes"] = trained.Proto.Graph.Node.Count,
            ["training_samples"] = data.Count,
            ["epochs"] = ReportJson.ToNode(history),
            ["final_eval_accuracy"] = history.Count > 0 ? history[^1].EvalAccuracy : null,
            ["final_eval_agreement"] = history.Count > 0 ? history[^1].EvalAgreement : null,
            ["write_back_max_difference"] = parity,
            ["thread_check"] = ReportJson.ToNode(outcome.ThreadCheck),
            ["recoveries"] = ReportJson.ToNode(outcome.Recoveries),
            ["seconds"] = context.TimeProvider.GetElapsedTime(started).TotalSeconds,
            ["warnings"] = new JsonArray([.. warnings.Select(w => (JsonNode)w)]),
        };
        return new PassResult(trained, report, warnings)
        {
            Training = [.. history.Select(e => new TrainingPoint(e.Epoch, e.MeanLoss, e.EvalAccuracy))],
        };
    }

    /// <summary>The teacher and the student must produce the same number of class scores per sample.</summary>
    private static void CheckCompatible(TeacherRunner teacher, OnnxModel student, TrainingSet data)
    {
        var teacherScores = teacher.Run(data.Inputs[0], data.SampleShape, 1)[0].Data.Length;
        using var module = OnnxTorchModule.Create(student);
        module.eval();
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var noGrad = TorchSharp.torch.no_grad();
        var x = TorchSharp.torch.tensor(data.Inputs[0], [1, .. data.SampleShape]);
        var logits = LogitsLocator.Find(student);
        var studentScores = module.Forward(new Dictionary<string, TorchSharp.torch.Tensor> { [module.InputNames[0]] = x }, [logits])[logits].numel();
        if (studentScores != teacherScores)
        {
            throw new InvalidDataException($"The student's output '{logits}' has {studentScores} values per sample but the teacher's has {teacherScores}; a student must predict the same classes.");
        }
    }

    private static string Fingerprint(OnnxModel student, DistillOptions options)
    {
        // Only what shapes training: stopping early, resuming and where checkpoints go do not change the model's path.
        var json = options.ToJson();
        json.Remove("max_steps");
        json.Remove("resume");
        json.Remove("checkpoint_directory");
        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString()).Concat(student.Proto.ToByteArray()).ToArray();
        return Convert.ToHexString(SHA256.HashData(bytes))[..16];
    }
}
