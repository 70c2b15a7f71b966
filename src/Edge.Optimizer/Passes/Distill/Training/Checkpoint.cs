using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Onnx;
using Edge.Sdk.IO;
using TorchSharp;

namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// The state saved after every epoch: the student with its current weights (an ONNX model of the same graph), the
/// optimizer's state, and the epoch, step and history. The learning rate, shuffling and augmentation are functions of
/// the seed, epoch and step, so these files are all a resumed run needs to continue exactly.
/// </summary>
internal sealed class Checkpoint
{
    private const string StudentFile = "student.onnx";
    private const string OptimizerFile = "optimizer.bin";
    private const string StateFile = "state.json";

    public required int EpochsDone { get; init; }

    public required long Steps { get; init; }

    public required string Fingerprint { get; init; }

    public required IReadOnlyList<EpochRecord> History { get; init; }

    /// <summary>The factor on the learning rate left by restarts after non-finite values (1 when there were none).</summary>
    public double LearningRateScale { get; init; } = 1;

    /// <summary>Every restart after a non-finite value so far, so a resumed run reports them and keeps the lower rate.</summary>
    public IReadOnlyList<TrainingRecovery> Recoveries { get; init; } = [];

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, StateFile));

    /// <summary>
    /// Writes the checkpoint. The trainer saves only finite states, and every number written is checked again here,
    /// so a non-finite value never reaches the files.
    /// </summary>
    public void Save(string directory, OnnxModel student, TrainingOptimizer optimizer)
    {
        var bad = History.FirstOrDefault(h => !double.IsFinite(h.MeanLoss));
        if (bad is not null || !double.IsFinite(LearningRateScale))
        {
            throw new InvalidOperationException($"A checkpoint must hold finite numbers, but epoch {bad?.Epoch} has a mean loss of {bad?.MeanLoss} (learning-rate scale {LearningRateScale}).");
        }

        Directory.CreateDirectory(directory);

        // The state file is written last, so a checkpoint interrupted half-way is never mistaken for a complete one.
        File.Delete(Path.Combine(directory, StateFile));
        student.Save(Path.Combine(directory, StudentFile));
        optimizer.Save(Path.Combine(directory, OptimizerFile));
        var state = new JsonObject
        {
            ["epochs_done"] = EpochsDone,
            ["steps"] = Steps,
            ["fingerprint"] = Fingerprint,
            ["history"] = JsonSerializer.SerializeToNode(History),
            ["learning_rate_scale"] = LearningRateScale,
            ["recoveries"] = JsonSerializer.SerializeToNode(Recoveries),
        };
        var temporary = Path.Combine(directory, StateFile + ".tmp");
        File.WriteAllText(temporary, state.ToJsonString());
        File.Move(temporary, Path.Combine(directory, StateFile), overwrite: true);
    }

    /// <summary>Reads the checkpoint; the student model is returned for the caller to build its module from.</summary>
    public static (Checkpoint Checkpoint, OnnxModel Student) Load(string directory, string fingerprint)
    {
        var path = Path.Combine(directory, StateFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--resume found no checkpoint: '{path}' {PathProblem.ForFile(path)}. Run without --resume to start fresh.", path);
        }

        var state = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                    ?? throw new InvalidDataException($"Checkpoint state '{path}' is not a JSON object.");
        var saved = (string?)state["fingerprint"];
        if (saved != fingerprint)
        {
            throw new InvalidDataException($"The checkpoint in '{directory}' was made with different options or models (fingerprint {saved}, this run {fingerprint}); resume needs the same command line.");
        }

        var checkpoint = new Checkpoint
        {
            EpochsDone = (int?)state["epochs_done"] ?? 0,
            Steps = (long?)state["steps"] ?? 0,
            Fingerprint = fingerprint,
            History = state["history"].Deserialize<List<EpochRecord>>() ?? [],
            LearningRateScale = (double?)state["learning_rate_scale"] ?? 1,
            Recoveries = state["recoveries"].Deserialize<List<TrainingRecovery>>() ?? [],
        };
        return (checkpoint, OnnxModel.Load(Path.Combine(directory, StudentFile)));
    }

    public static void LoadOptimizer(string directory, TrainingOptimizer optimizer) =>
        optimizer.Load(Path.Combine(directory, OptimizerFile));
}
