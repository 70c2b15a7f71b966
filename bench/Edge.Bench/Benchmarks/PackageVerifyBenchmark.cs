using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Edge.Bench.Harness;
using Edge.Packaging;
using Edge.Sdk.Packaging;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// <c>package-verify</c>: throughput of <see cref="ModelPackage"/> verification (hash-only and verify+extract) on a
/// signed package of about 256 MB, against <c>sha256sum</c> over the same file, side by side in one run.
/// The package (mnist plus a generated 256 MiB external-data file) lives under bench/results/tmp and is deleted after.
/// </summary>
internal sealed class PackageVerifyBenchmark : IBenchmark
{
    private const long PayloadBytes = 256L * 1024 * 1024;

    public string Name => "package-verify";

    public string Description => "ModelPackage verify / verify+extract throughput (MB/s) on a 256 MiB package vs sha256sum of the same file";

    public async Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var work = Path.Combine(context.ResultsDirectory, "tmp", "package-verify");
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        Directory.CreateDirectory(work);
        try
        {
            var (package, trust) = await BuildPackageAsync(context, work, cancellationToken);
            var bytes = new FileInfo(package).Length;
            var runs = context.Quick ? "2" : "5";
            var results = new JsonObject { ["package_bytes"] = bytes, ["payload_bytes"] = PayloadBytes, ["page_cache"] = "warm (warm-up runs read the file first)" };
            foreach (var kind in new[] { "verify", "open", "sha256sum" })
            {
                var figures = await context.RunChildAsync(this, [kind, package, trust, work, runs], cancellationToken);
                figures["mb_per_s_p50"] = Math.Round(bytes / 1e6 / ((double)figures["p50_ms"]! / 1000), 1);
                results[kind] = figures;
            }

            var baseline = (double)results["sha256sum"]!["p50_ms"]!;
            results["verify_over_sha256sum"] = Math.Round((double)results["verify"]!["p50_ms"]! / baseline, 3);
            results["open_over_sha256sum"] = Math.Round((double)results["open"]!["p50_ms"]! / baseline, 3);
            return results;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    public JsonObject RunChild(IReadOnlyList<string> arguments)
    {
        var (kind, package, trustPath, work) = (arguments[0], arguments[1], arguments[2], arguments[3]);
        var runs = int.Parse(arguments[4], CultureInfo.InvariantCulture);
        var trust = PackageTrust.FromPem(File.ReadAllText(trustPath));
        var device = PackageDeviceDescription.Current;
        var extraction = 0;
        Action action = kind switch
        {
            "verify" => () => ModelPackage.VerifyAsync(package, trust, new PackageOpenOptions { Device = device }).GetAwaiter().GetResult(),
            "open" => () =>
            {
                var target = Path.Combine(work, $"extracted-{extraction++}");
                ModelPackage.OpenAsync(package, trust, new PackageOpenOptions { ExtractionDirectory = target, Device = device }).GetAwaiter().GetResult().Dispose();
            },
            "sha256sum" => () => Sha256Sum(package),
            _ => throw new ArgumentException($"Unknown case '{kind}'."),
        };
        var samples = Measure.Repeat(action, warmup: 1, runs);
        foreach (var extracted in Directory.GetDirectories(work, "extracted-*"))
        {
            Directory.Delete(extracted, recursive: true);
        }

        var summary = Measure.Summarize(samples);
        summary["peak_rss_bytes"] = Measure.PeakResidentBytes();
        return summary;
    }

    private static void Sha256Sum(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("sha256sum", [path]) { RedirectStandardOutput = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not start sha256sum.");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || output.Length < 64)
        {
            throw new InvalidOperationException($"sha256sum exited with {process.ExitCode}: {output}");
        }
    }

    private static async Task<(string Package, string TrustPath)> BuildPackageAsync(BenchContext context, string work, CancellationToken cancellationToken)
    {
        var payload = Path.Combine(work, "weights.bin");
        await using (var stream = File.Create(payload))
        {
            // Random bytes, so no file system or cache can shortcut them; a fixed seed keeps runs comparable.
            var random = new Random(20261122);
            var chunk = new byte[4 * 1024 * 1024];
            for (long written = 0; written < PayloadBytes; written += chunk.Length)
            {
                random.NextBytes(chunk);
                await stream.WriteAsync(chunk, cancellationToken);
            }
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var trustPath = Path.Combine(work, "trust.pub.pem");
        await File.WriteAllTextAsync(trustPath, key.ExportSubjectPublicKeyInfoPem(), cancellationToken);
        var model = Path.Combine(context.DataRoot, "models", "mnist", "mnist.onnx");
        var (inputs, outputs) = ModelSignatureReader.Read(model);
        var package = Path.Combine(work, "bench.edgepkg");
        await PackageWriter.WriteAsync(
            package,
            files => new PackageManifest
            {
                FormatVersion = PackageManifest.CurrentFormatVersion,
                Name = "bench",
                Version = "1.0.0",
                CreatedUtc = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
                Tool = new PackageTool { Name = "edge-bench", Version = "0.1.0" },
                Target = new PackageTarget { Architectures = ["x64", "arm64"], ExecutionProviders = ["cpu"], MinimumSdkVersion = "0.1.0" },
                Files = files,
                Inputs = inputs,
                Outputs = outputs,
            },
            [new PackageSourceFile("model/mnist.onnx", model, PackageFileRole.Model), new PackageSourceFile("model/weights.bin", payload, PackageFileRole.ExternalData)],
            [key],
            cancellationToken);
        File.Delete(payload);
        return (package, trustPath);
    }
}
