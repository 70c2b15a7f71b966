using Edge.Optimizer.Data;
using Edge.Sdk.IO;

namespace Edge.Quickstart;

/// <summary>What one quickstart run uses: the model, its data, the output folder and how much work to do.</summary>
internal sealed record QuickstartOptions
{
    /// <summary>The float32 ONNX classifier to optimize (default: the shared MNIST CNN).</summary>
    public required string ModelPath { get; init; }

    /// <summary>Labelled dataset (<see cref="DatasetSpec.Syntax"/>); split into calibration/training, evaluation and app ranges.</summary>
    public required string Data { get; init; }

    /// <summary>Preprocessing spec for image datasets, or null.</summary>
    public string? PreprocessPath { get; init; }

    /// <summary>Where every artifact goes; must be empty or absent.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Simulated devices, each its own process. 2..8; the rollout has two waves (one canary, then the rest).</summary>
    public int Devices { get; init; } = 3;

    /// <summary>Fewer samples, epochs and runs: the mode the test uses.</summary>
    public bool Fast { get; init; }

    public bool Verbose { get; init; }

    /// <summary>Most top-1 points v2 may lose against v1 before the run refuses to ship it (exit code 3). Default 5.</summary>
    public double MaxAccuracyDropPoints { get; init; } = 5;

    /// <summary>Calibration samples (taken from the start of the training range).</summary>
    public int CalibrationSamples => Fast ? 32 : 100;

    /// <summary>Most samples the student trains on during distillation.</summary>
    public int TrainingSamples => Fast ? 1000 : 2000;

    public static int DistillEpochs => 2;

    /// <summary>Most samples each model is evaluated on (a range never used for training or calibration).</summary>
    public int EvaluationSamples => Fast ? 500 : 2000;

    /// <summary>Interleaved latency runs per model.</summary>
    public int LatencyRuns => Fast ? 200 : 500;

    /// <summary>Most samples the device app cycles through (after the evaluation range).</summary>
    public static int AppSamples => 200;

    /// <summary>KPI soak after each wave.</summary>
    public TimeSpan Soak => TimeSpan.FromSeconds(Fast ? 2 : 4);

    /// <summary>Every problem at once; empty when the run can start.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!File.Exists(ModelPath))
        {
            errors.Add($"--model '{ModelPath}' {PathProblem.ForFile(ModelPath)}.");
        }

        try
        {
            var spec = DatasetSpec.Parse(Data);
            if (!File.Exists(spec.Path) && !Directory.Exists(spec.Path))
            {
                errors.Add($"--data '{Data}': '{spec.Path}' does not exist.");
            }
        }
        catch (FormatException e)
        {
            errors.Add($"--data '{Data}': {e.Message}");
        }

        if (PreprocessPath is not null && !File.Exists(PreprocessPath))
        {
            errors.Add($"--preprocess '{PreprocessPath}' {PathProblem.ForFile(PreprocessPath)}.");
        }

        if (Devices is < 2 or > 8)
        {
            errors.Add($"--devices must be 2..8 (a canary wave and at least one more device); got {Devices}.");
        }

        if (MaxAccuracyDropPoints is < 0 or > 100)
        {
            errors.Add($"--max-accuracy-drop must be 0..100 points; got {MaxAccuracyDropPoints}.");
        }

        if (Directory.Exists(OutputDirectory) && Directory.EnumerateFileSystemEntries(OutputDirectory).Any())
        {
            errors.Add($"--out '{OutputDirectory}' is not empty; give a new or empty folder.");
        }

        return errors;
    }
}
