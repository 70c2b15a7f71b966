using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Agent.Tests.Ota.Support;
using Edge.Optimizer.Cli;
using Edge.Packaging;
using Edge.TestUtilities;

namespace Edge.Agent.Tests.Ota;

/// <summary>
/// <c>edge-optimize auto --target device:ID</c> against a real agent on a real Mosquitto: the original and the
/// candidates are timed on the device through bench jobs, the choice's passport names the device's hardware class, and
/// a device that never answers leaves auto on local figures, said as such.
/// </summary>
[Collection(OtaSerialGroup.Name)]
public sealed class OtaBenchAutoTests : IAsyncLifetime
{
    private OtaTestBed _bed = null!;
    private string _v1 = null!;

    private static string Mnist => TestData.File("models/mnist/mnist.onnx");

    private static string MnistData => $"mnist:{TestData.Directory("datasets/mnist")}@0:200";

    public async Task InitializeAsync()
    {
        _bed = await OtaTestBed.StartAsync();
        _v1 = await _bed.Packages.BuildAsync("1.0.0", rounds: 4);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Auto_DeviceTarget_TimesEveryAccurateModelOnTheDevice_AndWritesItsPassport()
    {
        await using var agent = await OtaAgent.StartAsync(_bed.Broker.Host, _bed.Broker.Port, "dev-auto", _bed.Packages, _v1, _bed.DataDirectory);
        var output = Path.Combine(_bed.Packages.Root, "auto", "mnist.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var report = Path.Combine(_bed.Packages.Root, "auto", "report.json");

        var (code, stdout, stderr) = await AutoAsync("device:dev-auto", output, "--report", report);

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("latency   measured on device:dev-auto", stdout, StringComparison.Ordinal);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(report))!;
        Assert.Equal("device:dev-auto", (string?)json["latency_measured_on"]);
        var timed = json["candidates"]!.AsArray().Where(c => c!["devices"]!.AsArray().Count > 0).ToList();
        Assert.True(timed.Count >= 2, "the original and at least one candidate were timed on the device");
        Assert.Equal(1.0, (double)timed[0]!["p50_ratio"]!);
        Assert.All(timed, c => Assert.Equal("dev-auto", (string?)c!["devices"]![0]!["device"]));
        Assert.All(timed, c => Assert.Equal("mnist 1.0.0", (string?)c!["devices"]![0]!["baseline"]));

        // The choice's package carries the device's class, signed, and the served model as the baseline.
        var package = Path.ChangeExtension(output, ".edgepkg");
        Assert.True(File.Exists(Path.ChangeExtension(output, ".passport.json")));
        var verified = await ModelPackage.VerifyAsync(package, PackageTrust.FromPem(_bed.Packages.Key.ExportSubjectPublicKeyInfoPem()), new PackageOpenOptions { SkipTargetCheck = true });
        var entry = Assert.Single(verified.Manifest.Passport!.Entries);
        Assert.Equal("device:dev-auto", entry.Source);
        Assert.Equal(("mnist", "1.0.0"), (entry.Baseline.Name, entry.Baseline.Version));
        Assert.Equal("cpu", entry.Hardware.ExecutionProvider);
        Assert.Equal(Math.Round(entry.P50Ms / entry.BaselineP50Ms, 6), entry.LatencyRatio, 4);

        // The package also carries the drift reference auto measured over its evaluation data, kept through the re-signing.
        var drift = verified.Manifest.DriftReference!;
        Assert.Equal((DriftStatistics.Classification, "Input3"), (drift.Task, Assert.Single(drift.Inputs).Name));
        Assert.True(drift.Samples > 0);

        // Nothing was installed: the device still serves what it served.
        Assert.Equal("1.0.0", agent.Get<ActiveModel>().Version);
    }

    [Fact]
    public async Task Auto_DeviceThatNeverAnswers_FallsBackToLocalFigures_AndSaysSo()
    {
        var output = Path.Combine(_bed.Packages.Root, "ghost", "mnist.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);

        var (code, stdout, stderr) = await AutoAsync("device:ghost", output, "--device-timeout", "2s");

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("latency   measured on this machine (fallback: device:ghost gave no figures)", stdout, StringComparison.Ordinal);
        Assert.Contains("note      device ghost did not measure the original: no result from device ghost within 2 s: it never acknowledged the job (offline?)", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(output));
        Assert.False(File.Exists(Path.ChangeExtension(output, ".edgepkg")), "no passport without device figures");
    }

    [Fact]
    public async Task Auto_BrokerUnreachable_JudgesHereAndTimesHere_AndSaysWhy()
    {
        var output = Path.Combine(_bed.Packages.Root, "away", "mnist.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);

        // Port 1 on loopback: nothing listens, every connection attempt is refused for the whole retry period.
        var (code, stdout, stderr) = await AutoAsync("device:dev-away", output, "127.0.0.1:1", []);

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("latency   measured on this machine (fallback: device:dev-away could not be reached)", stdout, StringComparison.Ordinal);
        Assert.Contains("note      device:dev-away could not be reached (", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(output));
    }

    private Task<(int Code, string Output, string Error)> AutoAsync(string target, string output, params string[] more) =>
        AutoAsync(target, output, $"{_bed.Broker.Host}:{_bed.Broker.Port.ToString(CultureInfo.InvariantCulture)}", more);

    private async Task<(int Code, string Output, string Error)> AutoAsync(string target, string output, string broker, string[] more)
    {
        var signKey = Path.Combine(_bed.Packages.Root, "package.key.pem");
        var jobKey = Path.Combine(_bed.Packages.Root, "operator.key.pem");
        await File.WriteAllTextAsync(signKey, _bed.Packages.Key.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(jobKey, _bed.Packages.OperatorKey.ExportPkcs8PrivateKeyPem());
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] args =
        [
            "auto", Mnist, "--eval", MnistData, "--calibration-samples", "50", "--candidates", "static-u8s8-tensor-minmax,static-u8s8-channel-minmax",
            "--latency-runs", "20", "--threads", "1", "-o", output, "--target", target,
            "--broker", broker, "--fleet", OtaPublisher.Fleet,
            "--job-key", jobKey, "--sign-key", signKey, .. more,
        ];
        var code = await EdgeOptimizeCli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
