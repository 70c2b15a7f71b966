using System.Globalization;
using Edge.Onnx;
using Edge.Optimizer.Passes.Distill.Interpreter;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// The training loop: a thread check, then per batch a <see cref="TrainingStep"/> on a cosine schedule; per epoch,
/// a checkpoint, an evaluation of the exported student through the SDK and one progress line. A non-finite loss or
/// weight restores the state of the epoch's start, halves the learning rate and restarts the epoch, at most
/// <see cref="MaxRestarts"/> times in a run; after that training stops with <see cref="TrainingDivergedException"/>.
/// Call it on one thread for the whole run (<see cref="TrainingThread"/>).
/// </summary>
internal static class DistillTrainer
{
    /// <summary>Restarts from the last finite state allowed in one run, each at half the previous learning rate.</summary>
    public const int MaxRestarts = 3;

    public static (OnnxModel Student, TrainingOutcome Outcome) Train(TrainingSetup setup, CancellationToken cancellationToken)
    {
        var options = setup.Options;
        TorchSharpRuntime.EnsureAvailable();
        torch.set_num_threads(options.Threads);
        var student = setup.Student;
        Checkpoint? resumed = null;
        if (options.Resume)
        {
            (resumed, student) = Checkpoint.Load(options.CheckpointDirectory, setup.Fingerprint);
            setup.Context.Log.WriteLine($"resuming after epoch {resumed.EpochsDone} (step {resumed.Steps}) from {options.CheckpointDirectory}");
        }

        torch.manual_seed(options.Seed);
        using var module = OnnxTorchModule.Create(student);
        using var hints = new HintAdapters(options.HintPairs);
        TrainingStep.PrepareHints(setup, module, hints);
        var parameters = module.parameters().Concat(hints.Parameters).ToList();
        using TrainingOptimizer optimizer = options.Optimizer == DistillOptimizer.Sgd
            ? new SgdOptimizer(parameters, momentum: 0.9, weightDecay: 5e-4)
            : new AdamWOptimizer(parameters, weightDecay: 0.01);
        if (resumed is not null)
        {
            Checkpoint.LoadOptimizer(options.CheckpointDirectory, optimizer);
            LoadHints(options.CheckpointDirectory, hints);
        }

        var data = setup.Data;
        var cache = setup.Teacher is not null && options.Augment.Count == 0 ? TeacherCache.TryBuild(setup.Teacher, data, options.BatchSize) : null;
        var step = new TrainingStep(setup, module, hints, optimizer, cache);
        var threadCheck = CheckThreads(setup, module, hints, optimizer, step, parameters);
        var stepsPerEpoch = (data.Count + options.BatchSize - 1) / options.BatchSize;
        // The schedule always spans every epoch; --max-steps only stops early, so a stopped run resumes on the same curve.
        var totalSteps = (long)stepsPerEpoch * options.Epochs;
        var stopAt = Math.Min(totalSteps, options.MaxSteps ?? long.MaxValue);
        var history = new List<EpochRecord>(resumed?.History ?? []);
        var recoveries = new List<TrainingRecovery>(resumed?.Recoveries ?? []);
        var rateScale = resumed?.LearningRateScale ?? 1.0;
        var restarts = 0;
        var steps = resumed?.Steps ?? 0;
        var firstStep = steps;
        var started = setup.Context.TimeProvider.GetTimestamp();
        for (var epoch = (resumed?.EpochsDone ?? 0) + 1; epoch <= options.Epochs && steps < stopAt; epoch++)
        {
            var epochStarted = setup.Context.TimeProvider.GetTimestamp();
            using var snapshot = TrainingSnapshot.Take(module, hints, optimizer);
            var epochFirstStep = steps;
            EpochPass pass;
            while (!(pass = RunEpoch(setup, module, step, parameters, epoch, epochFirstStep, stopAt, totalSteps, rateScale, cancellationToken)).Finite)
            {
                if (restarts == MaxRestarts)
                {
                    throw Diverged(setup, epoch, pass, rateScale, recoveries);
                }

                restarts++;
                rateScale /= 2;
                recoveries.Add(new TrainingRecovery(epoch, pass.Steps + 1, pass.Cause!, pass.LastFiniteLoss, rateScale));
                setup.Context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"warning: {pass.Cause} at epoch {epoch}, step {pass.Steps + 1}; restarting the epoch from its finite start with the learning rate x{rateScale:G4} (restart {restarts} of {MaxRestarts})"));
                snapshot.Restore(optimizer);
            }

            steps = pass.Steps;
            module.eval();
            var current = StudentWriter.Write(student, module);
            var (accuracy, agreement) = setup.Evaluate?.Invoke(current, cancellationToken) ?? (null, null);
            var seconds = setup.Context.TimeProvider.GetElapsedTime(epochStarted).TotalSeconds;
            var record = new EpochRecord(epoch, steps, pass.Batches == 0 ? 0 : pass.LossSum / pass.Batches, accuracy, agreement, seconds);
            history.Add(record);
            new Checkpoint { EpochsDone = epoch, Steps = steps, Fingerprint = setup.Fingerprint, History = history, LearningRateScale = rateScale, Recoveries = recoveries }
                .Save(options.CheckpointDirectory, current, optimizer);
            hints.Save(Path.Combine(options.CheckpointDirectory, "hints.bin"));
            setup.Context.Log.WriteLine(ProgressLine(record, options.Epochs, setup.Context.TimeProvider.GetElapsedTime(started), steps - firstStep, stopAt - steps));
        }

        module.eval();
        return (StudentWriter.Write(student, module), new TrainingOutcome(history, threadCheck, recoveries));
    }

    private static ThreadCheckResult CheckThreads(TrainingSetup setup, OnnxTorchModule module, HintAdapters hints, TrainingOptimizer optimizer, TrainingStep step, List<Parameter> parameters)
    {
        var options = setup.Options;
        using var state = TrainingSnapshot.Take(module, hints, optimizer);
        var probe = Enumerable.Range(0, Math.Min(options.BatchSize, setup.Data.Count)).ToArray();
        module.train();
        var result = ThreadCheck.Run(options.Threads, () =>
        {
            torch.manual_seed(options.Seed);
            return step.Loss(probe);
        }, parameters, () => state.Restore(optimizer));
        if (result.Note is { } note)
        {
            setup.Context.Log.WriteLine($"warning: {note}");
        }

        return result;
    }

    private static EpochPass RunEpoch(TrainingSetup setup, OnnxTorchModule module, TrainingStep step, List<Parameter> parameters, int epoch, long firstStep,
        long stopAt, long totalSteps, double rateScale, CancellationToken cancellationToken)
    {
        var options = setup.Options;
        var data = setup.Data;
        torch.manual_seed(((long)options.Seed * 1000) + epoch);
        var order = Shuffle(data.Count, (options.Seed * 1000) + epoch);
        module.train();
        var (lossSum, batches, steps) = (0.0, 0, firstStep);
        double? lastFinite = null;
        for (var first = 0; first < data.Count && steps < stopAt; first += options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var indices = order[first..Math.Min(first + options.BatchSize, data.Count)];
            var rate = CosineSchedule.Rate(options.EffectiveLearningRate * rateScale, steps, totalSteps);
            var loss = step.Run(indices, rate, setup.NonFiniteLossAt?.Invoke(epoch, steps) == true);
            if (!float.IsFinite(loss))
            {
                return new EpochPass(false, steps, lossSum, batches, lastFinite, string.Create(CultureInfo.InvariantCulture, $"the loss became {loss}"));
            }

            (lastFinite, lossSum, batches, steps) = (loss, lossSum + loss, batches + 1, steps + 1);
        }

        return TrainingSnapshot.AllFinite(parameters)
            ? new EpochPass(true, steps, lossSum, batches, lastFinite, null)
            : new EpochPass(false, steps - 1, lossSum, batches, lastFinite, "a weight became non-finite");
    }

    private static TrainingDivergedException Diverged(TrainingSetup setup, int epoch, EpochPass pass, double rateScale, List<TrainingRecovery> recoveries)
    {
        var options = setup.Options;
        var c = CultureInfo.InvariantCulture;
        recoveries.Add(new TrainingRecovery(epoch, pass.Steps + 1, pass.Cause!, pass.LastFiniteLoss, rateScale));
        var last = pass.LastFiniteLoss is { } l ? string.Create(c, $"last finite loss {l:G6}") : "no finite loss in this epoch";
        var checkpoint = epoch > 1 && Checkpoint.Exists(options.CheckpointDirectory)
            ? $"the checkpoint of epoch {epoch - 1} in '{options.CheckpointDirectory}' is unchanged (--resume continues from it)"
            : "no checkpoint was written";
        return new TrainingDivergedException(string.Create(c,
            $"training diverged at epoch {epoch}, step {pass.Steps + 1}: {pass.Cause} again after {MaxRestarts} restarts from the last finite state with the learning rate halved each time (x{rateScale:G4} of --lr {options.EffectiveLearningRate:G4}); {last}; try a lower --lr, --optimizer adamw or --threads 1; {checkpoint}"),
            recoveries);
    }

    private static void LoadHints(string directory, HintAdapters hints)
    {
        var path = Path.Combine(directory, "hints.bin");
        if (File.Exists(path))
        {
            hints.Load(path);
        }
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

    /// <summary>One pass over an epoch: whether it stayed finite, the step reached (or that failed), and the loss so far.</summary>
    private sealed record EpochPass(bool Finite, long Steps, double LossSum, int Batches, double? LastFiniteLoss, string? Cause);
}
