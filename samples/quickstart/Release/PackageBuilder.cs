using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Edge.Optimizer.Reports;
using Edge.Quickstart.Reporting;

namespace Edge.Quickstart.Release;

/// <summary>Step 3 (and the packing in 7 and 9): a signing key, then signed packages through <c>edge-optimize keys|pack|verify</c>.</summary>
internal sealed class PackageBuilder(QuickstartOptions options, Workspace workspace, ToolRunner tools)
{
    public string PackageName { get; } = NameOf(options.ModelPath);

    public static string Target => RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();

    public async Task CreateKeysAsync(CancellationToken cancellationToken)
    {
        await tools.OptimizeAsync(["keys", "new", "-o", workspace.Keys], cancellationToken);

        // A second key for the operator, who signs job documents (docs/protocol.md, Signed jobs): separate from the
        // package key, as the people who build models and the people who roll them out are separate.
        await tools.OptimizeAsync(["keys", "new", "--private", workspace.OperatorPrivateKey, "--public", workspace.OperatorPublicKey], cancellationToken);
    }

    /// <summary>Packs <paramref name="model"/> with its golden folder and measured figures, signs it, and verifies it as a device would.</summary>
    public async Task<string> PackAsync(string model, string version, string goldenFolder, string? parentVersion, JsonObject metrics, CancellationToken cancellationToken)
    {
        var output = Path.Combine(workspace.Packages, $"{PackageName}-{version}.edgepkg");
        var metricsFile = Path.Combine(workspace.Reports, $"metrics-{version}.json");
        await File.WriteAllTextAsync(metricsFile, ReportJson.Text(metrics, indented: false), cancellationToken);
        string[] parent = parentVersion is null ? [] : ["--parent", $"{PackageName}@{parentVersion}"];
        string[] preprocess = options.PreprocessPath is { } spec ? ["--preprocess", spec] : [];
        await tools.OptimizeAsync(
            ["pack", model, "--name", PackageName, "--version", version, "--target", Target, "--key", workspace.PrivateKey,
             "--golden", goldenFolder, "--golden-atol", "1e-3", "--golden-rtol", "1e-3", "--metrics", metricsFile, "-o", output, .. parent, .. preprocess],
            cancellationToken);
        await tools.OptimizeAsync(["verify", output, "--trust", workspace.PublicKey], cancellationToken);
        return output;
    }

    public static JsonObject Metrics(double top1, double p50Ms, long bytes) => new()
    {
        ["top1"] = Math.Round(top1, 4),
        ["p50_ms"] = Math.Round(p50Ms, 4),
        ["model_bytes"] = bytes,
        ["measured_by"] = "samples/quickstart",
    };

    private static string NameOf(string modelPath)
    {
        // The file name up to its first '_' (squeezenet1.0_fp32_derived_from_fp16 -> squeezenet1.0), so the monitor's
        // model column stays readable.
        var raw = Path.GetFileNameWithoutExtension(modelPath).ToLowerInvariant().Split('_')[0];
        var name = new string([.. raw.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-')]).Trim('-', '.', '_');
        return name.Length == 0 ? "model" : name[..Math.Min(name.Length, 24)];
    }
}
