using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Edge.Fleet.Bench;
using Edge.Optimizer.Data;
using Edge.Optimizer.Packaging;
using Edge.Optimizer.Pipeline;
using Edge.Packaging;
using Edge.Protocol.Ota;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Optimizer.Search.Device;

/// <summary>
/// Times the original and every accurate candidate on the target devices: each model is packed (signed, with one
/// golden sample from the judging data) and sent as a bench job; the device times it beside the model it serves, with
/// its own provider and threads, and deletes it. A device that does not answer is named and left out; when no device
/// measured the original, the caller falls back to local figures and says so.
/// </summary>
internal sealed partial class DeviceLatency(DeviceTargetOptions options, TargetSpec target, TimeProvider time)
{
    public async Task<(IReadOnlyList<DeviceMeasurement> Devices, IReadOnlyList<string> Packages, IReadOnlyList<string> Notes)> MeasureAsync(
        IReadOnlyList<CandidateOutcome> models, AutoOptions auto, DataSample sample, PreprocessSpec? preprocess, string folder, PassContext context, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var packages = await PackAsync(models, auto, sample, preprocess, folder, context, cancellationToken);
        var keyPem = await File.ReadAllTextAsync(options.SignKeyPath!, cancellationToken);
        using var key = ECDsa.Create();
        key.ImportFromPem(keyPem);
        var trust = PackageTrust.FromPem(key.ExportSubjectPublicKeyInfoPem());
        await using var client = await DeviceBenchClient.ConnectAsync(options.Broker, options.Fleet!, await File.ReadAllTextAsync(options.JobKeyPath!, cancellationToken), trust, time, cancellationToken);
        IReadOnlyList<string> devices;
        if (target.Kind == TargetKind.Device)
        {
            devices = [target.Name!];
        }
        else
        {
            var group = await client.GroupTargetsAsync(target.Name!, options.Store, cancellationToken);
            notes.AddRange(group.Skipped.Select(s => $"not measured: {s}"));
            devices = group.Devices;
            context.Log.WriteLine($"group {target.Name}: {group.Members} member(s), measuring on one device per hardware class: {(devices.Count == 0 ? "none" : string.Join(", ", devices))}");
        }

        var request = new OtaBenchRequest { Runs = Math.Clamp(auto.LatencyRuns, OtaBenchRequest.MinRuns, OtaBenchRequest.MaxRuns), WarmupRuns = Math.Clamp(auto.WarmupRuns, 0, OtaBenchRequest.MaxWarmupRuns) };
        var measurements = new List<DeviceMeasurement>();
        foreach (var device in devices)
        {
            var results = new OtaBenchResult?[models.Count];
            var problems = new string?[models.Count];
            var measuredUtc = new DateTimeOffset?[models.Count];
            for (var i = 0; i < models.Count; i++)
            {
                context.Log.WriteLine($"{device}: timing {models[i].Candidate.Name} beside the served model");
                var outcome = await client.MeasureAsync(packages[i], device, request, options.Timeout, cancellationToken);
                results[i] = outcome.Result;
                problems[i] = outcome.Problem;
                measuredUtc[i] = outcome.Result is null ? null : outcome.Report?.Timestamp;
                if (i == 0 && outcome.Result is null)
                {
                    // Without the original's figures no candidate can be compared on this device.
                    notes.Add($"device {device} did not measure the original: {outcome.Problem}");
                    break;
                }
            }

            measurements.Add(new DeviceMeasurement(device, results, problems, measuredUtc));
        }

        return (measurements, packages, notes);
    }

    /// <summary>
    /// Whether a target device runs models on a GPU (its hardware class names CUDA or TensorRT), so fp16 is worth a
    /// candidate. False when the devices cannot be reached now: the measurement says so later.
    /// </summary>
    public async Task<bool> AnyGpuAsync(CancellationToken cancellationToken)
    {
        await using var client = await DeviceBenchClient.ConnectAsync(options.Broker, options.Fleet!, await File.ReadAllTextAsync(options.JobKeyPath!, cancellationToken), PackageTrust.None, time, cancellationToken);
        var statuses = await client.StatusesAsync(cancellationToken);
        IEnumerable<string> devices = target.Kind == TargetKind.Device ? [target.Name!] : (await client.GroupTargetsAsync(target.Name!, options.Store, cancellationToken)).Devices;
        var wanted = devices.ToHashSet(StringComparer.Ordinal);
        return statuses.Any(s => wanted.Contains(s.Device) && s.Facts?.Hardware?.ExecutionProvider is "cuda" or "tensorrt");
    }

    private async Task<IReadOnlyList<string>> PackAsync(IReadOnlyList<CandidateOutcome> models, AutoOptions auto, DataSample sample, PreprocessSpec? preprocess, string folder, PassContext context, CancellationToken cancellationToken)
    {
        var name = PackageName(auto.ModelPath);
        var packages = new List<string>();
        for (var i = 0; i < models.Count; i++)
        {
            var model = models[i];
            var golden = Path.Combine(folder, "bench", model.Candidate.Name, "golden");
            GoldenSampleWriter.Write(model.Path!, sample, preprocess, golden);
            var output = Path.Combine(folder, "bench", model.Candidate.Name, $"{name}.edgepkg");
            await ModelPackager.PackAsync(new PackagerOptions
            {
                ModelPath = model.Path!,
                Name = name,
                Version = $"0.0.{i}-auto.{model.Candidate.Name}",
                Targets = ["linux-x64", "linux-arm64"],
                ExecutionProviders = ["cpu", "cuda", "tensorrt"],
                GoldenDirectory = golden,
                PreprocessPath = auto.Preprocess,
                ReferenceData = auto.Calibration ?? auto.Eval,
                KeyPaths = [options.SignKeyPath!],
                OutputPath = output,
                CommandLine = $"edge-optimize auto --target {target}",
            }, time, cancellationToken);
            packages.Add(output);
        }

        context.Log.WriteLine($"packed {packages.Count} model(s) for the devices, signed with {Path.GetFileName(options.SignKeyPath)}");
        return packages;
    }

    /// <summary>A package name from the model's file name: lowercase letters, digits, '.', '_' and '-'.</summary>
    public static string PackageName(string modelPath)
    {
        var stem = Disallowed().Replace(Path.GetFileNameWithoutExtension(modelPath).ToLowerInvariant(), "-").Trim('-', '.', '_');
        return stem.Length == 0 ? "model" : stem.Length > 100 ? stem[..100] : stem;
    }

    [GeneratedRegex("[^a-z0-9._-]+")]
    private static partial Regex Disallowed();
}
