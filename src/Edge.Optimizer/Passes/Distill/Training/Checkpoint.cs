using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Onnx;
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

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, StateFile));

    public async Task SaveAsync(string directory, OnnxModel student, TorchSharp.Modules.OptimizerHelper optimizer, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);

        // The state file is written last, so a checkpoint interrupted half-way is never mistaken for a complete one.
        File.Delete(Path.Combine(directory, StateFile));
        await student.SaveAsync(Path.Combine(directory, StudentFile), cancellationToken: cancellationToken);
        optimizer.save_state_dict(Path.Combine(directory, OptimizerFile));
        var state = new JsonObject
        {
            ["epochs_done"] = EpochsDone,
            ["steps"] = Steps,
            ["fingerprint"] = Fingerprint,
            ["history"] = JsonSerializer.SerializeToNode(History),
        };
        var temporary = Path.Combine(directory, StateFile + ".tmp");
        await File.WriteAllTextAsync(temporary, state.ToJsonString(), cancellationToken);
        File.Move(temporary, Path.Combine(directory, StateFile), overwrite: true);
    }

    /// <summary>Reads the checkpoint; the student model is returned for the caller to build its module from.</summary>
    public static async Task<(Checkpoint Checkpoint, OnnxModel Student)> LoadAsync(string directory, string fingerprint, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, StateFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--resume found no checkpoint: '{path}' does not exist. Run without --resume to start fresh.", path);
        }

        var state = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken)) as JsonObject
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
        };
        return (checkpoint, await OnnxModel.LoadAsync(Path.Combine(directory, StudentFile), cancellationToken: cancellationToken));
    }

    public static void LoadOptimizer(string directory, TorchSharp.Modules.OptimizerHelper optimizer) =>
        optimizer.load_state_dict(Path.Combine(directory, OptimizerFile));
}
