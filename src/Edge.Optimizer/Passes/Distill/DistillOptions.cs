using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Edge.Optimizer.Pipeline;

namespace Edge.Optimizer.Passes.Distill;

/// <summary>Options of the distill pass. <see cref="Errors"/> lists every problem at once.</summary>
internal sealed class DistillOptions
{
    /// <summary>The teacher model (run in ONNX Runtime). Required.</summary>
    [RecipePath(RecipePathKind.File)]
    public required string TeacherPath { get; init; }

    /// <summary>
    /// Width factor in (0, 1] for a narrower copy of the teacher made by channel surgery; null when the student is a
    /// given model (a pruned model or a smaller user model).
    /// </summary>
    public double? Width { get; init; }

    /// <summary>Training dataset spec (<c>mnist:dir@0:5000</c>, <c>images:dir</c>, ...). Required.</summary>
    [RecipePath(RecipePathKind.Dataset)]
    public required string Dataset { get; init; }

    /// <summary>Use the dataset's labels for the cross-entropy term. Default off (pure distillation).</summary>
    public bool UseLabels { get; init; }

    /// <summary>Passes over the training set. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per step. Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Peak learning rate of the cosine schedule. Default 0.001 (AdamW) or 0.01 (SGD) when null.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Softening temperature T of the KL term. Default 4.</summary>
    public double Temperature { get; init; } = 4;

    /// <summary>Weight α of the distillation term; (1 − α) weighs cross-entropy when labels are used. Default 0.7.</summary>
    public double Alpha { get; init; } = 0.7;

    /// <summary>Optimizer. Default AdamW.</summary>
    public DistillOptimizer Optimizer { get; init; } = DistillOptimizer.AdamW;

    /// <summary>Evaluation dataset measured through the SDK after each epoch (accuracy and agreement with the teacher).</summary>
    [RecipePath(RecipePathKind.Dataset)]
    public string? EvalDataset { get; init; }

    /// <summary>Augmentations applied to training batches: <c>flip</c> (horizontal) and <c>crop</c> (pad and random crop).</summary>
    public IReadOnlyList<string> Augment { get; init; } = [];

    /// <summary>Seed of shuffling, augmentation, dropout and any new weights. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Matched intermediate tensors for the hint loss, each <c>student=teacher</c>.</summary>
    public IReadOnlyList<string> Hints { get; init; } = [];

    /// <summary>Weight of the hint (feature-map MSE) loss. Default 1.</summary>
    public double HintWeight { get; init; } = 1;

    /// <summary>Preprocessing spec file for image datasets.</summary>
    [RecipePath(RecipePathKind.File)]
    public string? PreprocessPath { get; init; }

    /// <summary>
    /// Checkpoint folder, written after every epoch; resume reads it. Empty (the default in recipes): the step's output
    /// path + <c>.checkpoint</c>; the CLI's default is the output path + <c>.checkpoint</c>.
    /// </summary>
    [RecipePath(RecipePathKind.Output)]
    public string CheckpointDirectory { get; init; } = "";

    /// <summary>Continue from the checkpoint in <see cref="CheckpointDirectory"/>.</summary>
    public bool Resume { get; init; }

    /// <summary>Stop after this many optimizer steps in total (for smoke runs); null runs every epoch in full.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Threads for TorchSharp and ONNX Runtime. Default 2.</summary>
    public int Threads { get; init; } = 2;

    [JsonIgnore]
    public double EffectiveLearningRate => LearningRate ?? (Optimizer == DistillOptimizer.Sgd ? 0.01 : 0.001);

    [JsonIgnore]
    public IReadOnlyList<(string Student, string Teacher)> HintPairs =>
        [.. Hints.Select(h => h.Split('=', 2)).Where(p => p.Length == 2).Select(p => (p[0].Trim(), p[1].Trim()))];

    /// <summary>The options as recipe JSON (<see cref="PassOptionsJson{TOptions}"/>: snake_case, every option).</summary>
    public JsonObject ToJson() => PassOptionsJson<DistillOptions>.ToJson(this);

    public static string OptimizerName(DistillOptimizer optimizer) => optimizer == DistillOptimizer.Sgd ? "sgd" : "adamw";

    public static DistillOptimizer ParseOptimizer(string text) => text.ToLowerInvariant() switch
    {
        "sgd" => DistillOptimizer.Sgd,
        "adamw" => DistillOptimizer.AdamW,
        _ => throw new ArgumentException($"Unknown optimizer '{text}'; expected sgd or adamw."),
    };

    /// <summary>Every problem with these options, each naming the expected and actual value.</summary>
    public IReadOnlyList<string> Validate()
    {
        var c = CultureInfo.InvariantCulture;
        var errors = new List<string>();
        if (Width is { } w && (double.IsNaN(w) || w <= 0 || w > 1))
        {
            errors.Add(string.Create(c, $"--width must be in (0, 1], but was {w}."));
        }

        if (Epochs < 1)
        {
            errors.Add($"--epochs must be at least 1, but was {Epochs}.");
        }

        if (BatchSize < 1)
        {
            errors.Add($"--batch-size must be at least 1, but was {BatchSize}.");
        }

        if (LearningRate is { } lr && (!double.IsFinite(lr) || lr <= 0))
        {
            errors.Add(string.Create(c, $"--lr must be a finite number greater than 0, but was {lr}."));
        }

        if (!double.IsFinite(Temperature) || Temperature <= 0)
        {
            errors.Add(string.Create(c, $"--temperature must be a finite number greater than 0, but was {Temperature}."));
        }

        if (double.IsNaN(Alpha) || Alpha < 0 || Alpha > 1)
        {
            errors.Add(string.Create(c, $"--alpha must be in [0, 1], but was {Alpha}."));
        }

        var unknown = Augment.Where(a => a is not ("flip" or "crop")).ToList();
        if (unknown.Count > 0)
        {
            errors.Add($"--augment knows flip and crop, but was given {string.Join(", ", unknown)}.");
        }

        var badHints = Hints.Where(h => h.Split('=', 2) is not [{ Length: > 0 }, { Length: > 0 }]).ToList();
        if (badHints.Count > 0)
        {
            errors.Add($"--hint must be student_tensor=teacher_tensor, but was {string.Join(", ", badHints)}.");
        }

        if (!double.IsFinite(HintWeight) || HintWeight < 0)
        {
            errors.Add(string.Create(c, $"--hint-weight must be a finite number, 0 or more, but was {HintWeight}."));
        }

        if (MaxSteps is < 1)
        {
            errors.Add($"--max-steps must be at least 1, but was {MaxSteps}.");
        }

        if (Threads < 1)
        {
            errors.Add($"--threads must be at least 1, but was {Threads}.");
        }

        return errors;
    }
}
