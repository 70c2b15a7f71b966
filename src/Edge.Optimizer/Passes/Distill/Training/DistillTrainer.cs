using System.Globalization;
using Edge.Onnx;
using Edge.Optimizer.Passes.Distill.Interpreter;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// The training loop: per batch, the teacher's logits (ONNX Runtime, cached for the whole set when nothing is
/// augmented) and the interpreted student's, the distillation loss, a step of SGD or AdamW on a cosine schedule;
/// per epoch, a checkpoint, an evaluation of the exported student through the SDK and one progress line.
/// </summary>
internal static class DistillTrainer
{
    public static async Task<(OnnxModel Student, IReadOnlyList<EpochRecord> History)> TrainAsync(TrainingSetup setup, CancellationToken cancellationToken)
    {
        var options = setup.Options;
        TorchSharpRuntime.EnsureAvailable();
        torch.set_num_threads(options.Threads);
        var student = setup.Student;
        Checkpoint? resumed = null;
        if (options.Resume)
        {
            (resumed, student) = await Checkpoint.LoadAsync(options.CheckpointDirectory, setup.Fingerprint, cancellationToken);
            setup.Context.Log.WriteLine($"resuming after epoch {resumed.EpochsDone} (step {resumed.Steps}) from {options.CheckpointDirectory}");
        }

        torch.manual_seed(options.Seed);
        using var module = OnnxTorchModule.Create(student);
        var logits = LogitsLocator.Find(student);
        var teacherOutputs = setup.Teacher?.Outputs ?? [];
        using var hints = new HintAdapters(options.HintPairs);
        var studentWanted = new List<string> { logits };
        studentWanted.AddRange(hints.Pairs.Select(p => p.Student));
        PrepareHints(setup, module, hints, studentWanted);

        var parameters = module.parameters().Concat(hints.Parameters).ToList();
        using var optimizer = (OptimizerHelper)(options.Optimizer == DistillOptimizer.Sgd
            ? optim.SGD(parameters, options.EffectiveLearningRate, momentum: 0.9, weight_decay: 5e-4)
            : optim.AdamW(parameters, options.EffectiveLearningRate, weight_decay: 0.01));
        if (resumed is not null)
        {
            Checkpoint.LoadOptimizer(options.CheckpointDirectory, optimizer);
            LoadHints(options.CheckpointDirectory, hints);
        }

        var data = setup.Data;
        var augmenter = new Augmenter(options.Augment);
        var cache = setup.Teacher is not null && !augmenter.Enabled ? TeacherCache.TryBuild(setup.Teacher, data, options.BatchSize) : null;
        var stepsPerEpoch = (data.Count + options.BatchSize - 1) / options.BatchSize;
        // The schedule always spans every epoch; --max-steps only stops early, so a stopped run resumes on the same curve.
        var totalSteps = (long)stepsPerEpoch * options.Epochs;
        var stopAt = Math.Min(totalSteps, options.MaxSteps ?? long.MaxValue);
        var history = new List<EpochRecord>(resumed?.History ?? []);
        var step = resumed?.Steps ?? 0;
        var firstStep = step;
        var started = setup.Context.TimeProvider.GetTimestamp();
        for (var epoch = (resumed?.EpochsDone ?? 0) + 1; epoch <= options.Epochs && step < stopAt; epoch++)
        {
            var epochStarted = setup.Context.TimeProvider.GetTimestamp();
            torch.manual_seed(((long)options.Seed * 1000) + epoch);
            var order = Shuffle(data.Count, (options.Seed * 1000) + epoch);
            module.train();
            double lossSum = 0;
            var batches = 0;
            for (var first = 0; first < data.Count && step < stopAt; first += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var indices = order[first..Math.Min(first + options.BatchSize, data.Count)];
                using var scope = torch.NewDisposeScope();
                foreach (var group in optimizer.ParamGroups)
                {
                    group.LearningRate = CosineSchedule.Rate(options.EffectiveLearningRate, step, totalSteps);
                }

                var x = Batch(data, indices);
                if (augmenter.Enabled)
                {
                    x = augmenter.Apply(x);
                }

                var outputs = module.Forward(new Dictionary<string, Tensor> { [module.InputNames[0]] = x }, studentWanted);
                var labels = options.UseLabels || setup.Teacher is null ? Labels(data, indices) : null;
                Tensor loss;
                if (setup.Teacher is null)
                {
                    loss = DistillationLoss.CrossEntropy(outputs[logits], labels!);
                }
                else
                {
                    var teacher = cache?.Gather(indices) ?? TeacherBatch(setup.Teacher, x, data.SampleShape, indices.Length);
                    loss = DistillationLoss.Compute(outputs[logits], teacher[0], labels, options.Temperature, options.Alpha);
                    if (hints.Pairs.Count > 0)
                    {
                        loss += hints.Loss(outputs, teacher.Skip(1).ToList()) * options.HintWeight;
                    }
                }

                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>();
                batches++;
                step++;
            }

            module.eval();
            var current = StudentWriter.Write(student, module);
            var (accuracy, agreement) = setup.Evaluate?.Invoke(current, cancellationToken) ?? (null, null);
            var seconds = setup.Context.TimeProvider.GetElapsedTime(epochStarted).TotalSeconds;
            var record = new EpochRecord(epoch, step, batches == 0 ? 0 : lossSum / batches, accuracy, agreement, seconds);
            history.Add(record);
            await new Checkpoint { EpochsDone = epoch, Steps = step, Fingerprint = setup.Fingerprint, History = history }
                .SaveAsync(options.CheckpointDirectory, current, optimizer, cancellationToken);
            hints.Save(Path.Combine(options.CheckpointDirectory, "hints.bin"));
            setup.Context.Log.WriteLine(ProgressLine(record, options.Epochs, setup.Context.TimeProvider.GetElapsedTime(started), step - firstStep, stopAt - step));
        }

        module.eval();
        return (StudentWriter.Write(student, module), history);
    }

    private static void PrepareHints(TrainingSetup setup, OnnxTorchModule module, HintAdapters hints, List<string> studentWanted)
    {
        if (hints.Pairs.Count == 0)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        module.eval();
        var x = Batch(setup.Data, [0]);
        var student = module.Forward(new Dictionary<string, Tensor> { [module.InputNames[0]] = x }, studentWanted);
        var teacher = setup.Teacher!.Run(setup.Data.Inputs[0], setup.Data.SampleShape, 1);
        hints.Prepare(
            hints.Pairs.ToDictionary(p => p.Student, p => student[p.Student].shape, StringComparer.Ordinal),
            hints.Pairs.Select((p, i) => (p.Teacher, teacher[i + 1].Shape)).ToDictionary(p => p.Teacher, p => p.Shape, StringComparer.Ordinal));
    }

    private static void LoadHints(string directory, HintAdapters hints)
    {
        var path = Path.Combine(directory, "hints.bin");
        if (File.Exists(path))
        {
            hints.Load(path);
        }
    }

    private static Tensor Batch(TrainingSet data, int[] indices)
    {
        var size = data.Inputs[0].Length;
        var buffer = new float[size * indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            data.Inputs[indices[i]].CopyTo(buffer, i * size);
        }

        return torch.tensor(buffer, [indices.Length, .. data.SampleShape]);
    }

    private static Tensor Labels(TrainingSet data, int[] indices) =>
        data.Labels is { } labels
            ? torch.tensor(indices.Select(i => (long)labels[i]).ToArray(), [indices.Length])
            : throw new InvalidDataException($"--labels needs a dataset with labels, but '{data.Spec}' has none.");

    private static Tensor[] TeacherBatch(TeacherRunner teacher, Tensor x, long[] sampleShape, int count)
    {
        var results = teacher.Run(x.contiguous().data<float>().ToArray(), sampleShape, count);
        return [.. results.Select(r => torch.tensor(r.Data, r.Shape))];
    }

    private static int[] Shuffle(int count, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        return order;
    }

    private static string ProgressLine(EpochRecord record, int epochs, TimeSpan elapsed, long stepsDone, long stepsLeft)
    {
        var c = CultureInfo.InvariantCulture;
        var eval = record.EvalAccuracy is { } a ? string.Create(c, $"  eval acc {a:P2}") : "";
        eval += record.EvalAgreement is { } g ? string.Create(c, $"  agreement {g:P2}") : "";
        var remaining = stepsDone == 0 ? TimeSpan.Zero : elapsed / stepsDone * stepsLeft;
        return string.Create(c, $"epoch {record.Epoch}/{epochs}  loss {record.MeanLoss:F4}{eval}  {record.Seconds:F1}s  elapsed {elapsed:m\\:ss}  ETA {remaining:m\\:ss}");
    }
}
