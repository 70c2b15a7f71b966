using System.Globalization;

namespace Edge.Optimizer.Search;

/// <summary>What <c>edge-optimize auto</c> searches for and how long it may take. <see cref="Validate"/> lists every error.</summary>
internal sealed class AutoOptions
{
    /// <summary>The original model.</summary>
    public required string ModelPath { get; init; }

    /// <summary>Where the chosen model goes (the original itself when nothing beats it).</summary>
    public required string OutputPath { get; init; }

    /// <summary>Evaluation dataset: accuracy with labels, otherwise agreement with the original.</summary>
    public required string Eval { get; init; }

    /// <summary>Calibration dataset; null: the first <see cref="CalibrationSamples"/> samples of <see cref="Eval"/>, which then judge nothing.</summary>
    public string? Calibration { get; init; }

    /// <summary>Samples sliced off the front of the eval set for calibration when no calibration set is given. Default 100.</summary>
    public int CalibrationSamples { get; init; } = 100;

    /// <summary>Most top-1 points (or agreement points without labels) a candidate may lose against the original.</summary>
    public double MaxAccuracyDrop { get; init; } = 1.0;

    /// <summary>
    /// Least share of judging samples whose top-1 must equal the original's, in [0, 1]. Default 0.95: with labels, a
    /// model can hold top-1 while disagreeing with the original on many samples, which users notice as changed answers.
    /// </summary>
    public double MinAgreement { get; init; } = 0.95;

    /// <summary>Where latency is measured: <c>local</c> (this machine), <c>device:ID</c> or <c>group:NAME</c> (through bench jobs).</summary>
    public string Target { get; init; } = "local";

    /// <summary>How to reach the fleet for a device or group target; required for those, unused for local.</summary>
    public Device.DeviceTargetOptions? Device { get; init; }

    /// <summary>Candidate names to try (see <see cref="CandidateSpace"/>); empty: the default space for the model.</summary>
    public IReadOnlyList<string> Candidates { get; init; } = [];

    /// <summary>Also try pruned candidates (channels removed, accuracy recovered by distillation from the original on <see cref="TrainData"/>).</summary>
    public bool AllowPrune { get; init; }

    /// <summary>Training dataset for the pruned candidates' distillation; required with <see cref="AllowPrune"/>.</summary>
    public string? TrainData { get; init; }

    /// <summary>Distillation epochs per pruned candidate. Default 2.</summary>
    public int DistillEpochs { get; init; } = 2;

    /// <summary>Minutes the search may take; no new candidate starts after that. Null: no limit.</summary>
    public double? BudgetMinutes { get; init; }

    /// <summary>Preprocessing spec for image datasets.</summary>
    public string? Preprocess { get; init; }

    /// <summary>ONNX Runtime intra-op threads for evaluation and latency. Default 2.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Measured latency runs per model, interleaved across the original and every accurate candidate. Default 100.</summary>
    public int LatencyRuns { get; init; } = 100;

    /// <summary>Warm-up runs per model before latency is measured. Default 10.</summary>
    public int WarmupRuns { get; init; } = 10;

    /// <summary>
    /// A candidate is chosen only when its p50 is below the original's by more than this share (default 0.02): a ratio of
    /// 0.99 on a busy machine is noise, not a faster model, and the promise is never to ship a slower one.
    /// </summary>
    public double SpeedMargin { get; init; } = 0.02;

    public IReadOnlyList<string> Validate()
    {
        var c = CultureInfo.InvariantCulture;
        var errors = new List<string>();
        if (!double.IsFinite(MaxAccuracyDrop) || MaxAccuracyDrop < 0)
        {
            errors.Add(string.Create(c, $"--max-accuracy-drop must be a finite number of points, 0 or more, but was {MaxAccuracyDrop}"));
        }

        if (!(MinAgreement is >= 0 and <= 1))
        {
            errors.Add(string.Create(c, $"--min-agreement must be in [0, 1], but was {MinAgreement}"));
        }

        var target = Search.Device.TargetSpec.TryParse(Target, out var targetProblem);
        if (target is null)
        {
            errors.Add(targetProblem!);
        }
        else if (target.Kind != Search.Device.TargetKind.Local)
        {
            if (Device is null)
            {
                errors.Add($"--target {Target} needs the fleet's broker, --fleet, --job-key and --sign-key");
            }
            else
            {
                errors.AddRange(Device.Validate());
            }
        }

        if (BudgetMinutes is { } budget && !(budget > 0 && double.IsFinite(budget)))
        {
            errors.Add(string.Create(c, $"--budget must be a positive number of minutes, but was {budget}"));
        }

        if (AllowPrune && string.IsNullOrWhiteSpace(TrainData))
        {
            errors.Add("--allow-prune needs --train DATASET: the pruned candidates are retrained by distillation from the original, never on the judging samples");
        }

        if (DistillEpochs < 1)
        {
            errors.Add($"--distill-epochs must be at least 1, but was {DistillEpochs}");
        }

        if (CalibrationSamples < 1)
        {
            errors.Add($"--calibration-samples must be at least 1, but was {CalibrationSamples}");
        }

        if (Threads < 1)
        {
            errors.Add($"--threads must be at least 1, but was {Threads}");
        }

        if (LatencyRuns < 10)
        {
            errors.Add($"--latency-runs must be at least 10 (latency decides the choice), but was {LatencyRuns}");
        }

        if (WarmupRuns < 0)
        {
            errors.Add($"--warmup-runs must be 0 or more, but was {WarmupRuns}");
        }

        var unknown = Candidates.Where(n => !CandidateSpace.Names.Contains(n, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add($"--candidates names unknown candidate(s) {string.Join(", ", unknown)}; known: {string.Join(", ", CandidateSpace.Names)}");
        }

        if (string.Equals(Path.GetFullPath(ModelPath), Path.GetFullPath(OutputPath), StringComparison.Ordinal))
        {
            errors.Add($"the output '{OutputPath}' is the input model; write the choice to another file");
        }

        return errors;
    }
}
