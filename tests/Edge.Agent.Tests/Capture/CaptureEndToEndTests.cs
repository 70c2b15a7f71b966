using Edge.Agent.Tests.Ota;
using Edge.Onnx;
using Edge.Optimizer.Cli;
using Edge.TestUtilities;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;

namespace Edge.Agent.Tests.Capture;

/// <summary>
/// Field-data capture end to end on a real Mosquitto: two real agents serving mnist, capture switched on for their
/// group by edge-fleet, the app's calls captured, pulled into an .npz whose arrays hold exactly what the app passed
/// and got, and that .npz calibrating a static quantization through edge-optimize, then judging it with eval.
/// </summary>
[Collection(OtaSerialGroup.Name)]
public sealed class CaptureEndToEndTests(ITestOutputHelper log) : IAsyncLifetime
{
    private CaptureTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await CaptureTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task PullGroup_TwoDevices_NpzHoldsWhatTheAppPassed_AndCalibratesQuantize()
    {
        await using var a = await _bed.StartAgentAsync("cap-a");
        await using var b = await _bed.StartAgentAsync("cap-b");
        Assert.Equal(0, (await _bed.FleetAsync("groups", "add", "cams", "--devices", "cap-a,cap-b")).Code);

        var enable = await _bed.FleetAsync("capture", "enable", "group:cams", "--fraction", "100%", "--max-samples", "500");
        Assert.True(enable.Code == 0, enable.Output + enable.Error);
        Assert.Contains("cap-a: capture on, fraction 1, at most 500 samples", enable.Output, StringComparison.Ordinal);
        Assert.Contains("cap-b: capture on", enable.Output, StringComparison.Ordinal);

        var (inputsA, outputsA) = await CaptureTestBed.InferAsync(a, 24, seed: 1);
        var (inputsB, outputsB) = await CaptureTestBed.InferAsync(b, 16, seed: 2);
        var status = await _bed.FleetAsync("capture", "status", "cap-b");
        Assert.True(status.Code == 0, status.Output + status.Error);
        Assert.Contains("holds 16 samples", status.Output, StringComparison.Ordinal);
        Assert.Contains("models: mnist@1.0.0 16", status.Output, StringComparison.Ordinal);

        var npz = Path.Combine(_bed.Root, "data.npz");
        var pull = await _bed.FleetAsync("capture", "pull", "group:cams", "-o", npz);

        Assert.True(pull.Code == 0, pull.Output + pull.Error);
        log.WriteLine(pull.Error + pull.Output);
        Assert.Contains("cap-a: snapshot snap-24-24: 24 samples, ", pull.Error, StringComparison.Ordinal);
        Assert.Contains("cap-b: snapshot snap-16-16: 16 samples, ", pull.Error, StringComparison.Ordinal);
        Assert.Contains($"wrote {npz}: 40 samples from 2 device(s)", pull.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(npz + ".partial"));
        Assert.Equal(["Input3.npy", "capture.json", "output.Plus214_Output_0.npy"], CaptureNpz.Entries(npz));
        var (inputHeader, inputData) = CaptureNpz.Array(npz, "Input3.npy");
        Assert.Contains("'descr': '<f4'", inputHeader, StringComparison.Ordinal);
        Assert.Contains(CaptureNpz.Shape(40, 1, 28, 28), inputHeader, StringComparison.Ordinal);
        Assert.Equal(inputsA.Concat(inputsB).SelectMany(x => x).ToArray(), inputData);
        var (outputHeader, outputData) = CaptureNpz.Array(npz, "output.Plus214_Output_0.npy");
        Assert.Contains(CaptureNpz.Shape(40, 10), outputHeader, StringComparison.Ordinal);
        Assert.Equal(outputsA.Concat(outputsB).SelectMany(x => x).ToArray(), outputData);
        var provenance = CaptureNpz.Provenance(npz);
        var samples = provenance["samples"]!.AsArray();
        Assert.Equal(40, samples.Count);
        Assert.Equal(24, samples.Count(s => (string?)s!["device"] == "cap-a"));
        Assert.All(samples, s => Assert.Equal("1.0.0", (string?)s!["version"]));
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), samples.Where(s => (string?)s!["device"] == "cap-b").Select(s => (long)s!["sequence"]!));

        // The pulled file calibrates a static quantization as it is.
        var quantized = Path.Combine(_bed.Root, "mnist-int8.onnx");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await EdgeOptimizeCli.RunAsync(
            ["quantize", TestData.File("models/mnist/mnist.onnx"), "-o", quantized, "--mode", "static", "--calibration", $"npy:{npz}"], output, error);

        Assert.True(code == 0, output.ToString() + error.ToString());
        log.WriteLine(output.ToString());
        Assert.Contains(OnnxModel.Load(quantized).Proto.Graph.Node, n => n.OpType == "QuantizeLinear");
        using var session = new InferenceSession(quantized);
        var agreed = 0;
        for (var i = 0; i < 40; i++)
        {
            var input = (i < 24 ? inputsA[i] : inputsB[i - 24]).AsSpan();
            var served = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>((i < 24 ? outputsA[i] : outputsB[i - 24]).AsSpan()).ToArray();
            var tensor = new DenseTensor<float>(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(input).ToArray(), [1, 1, 28, 28]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("Input3", tensor)]);
            var q = results[0].AsEnumerable<float>().ToArray();
            agreed += Array.IndexOf(q, q.Max()) == Array.IndexOf(served, served.Max()) ? 1 : 0;
        }

        log.WriteLine($"int8 top-1 agreement with the served fp32 outputs: {agreed}/40");
        Assert.True(agreed >= 36, $"the int8 model agrees with the served fp32 model on {agreed} of 40 captured inputs");

        // eval reads the same file and compares the candidate with what the devices served, and gets the same count.
        using var evalOutput = new StringWriter();
        using var evalError = new StringWriter();
        var evalCode = await EdgeOptimizeCli.RunAsync(["eval", quantized, "--data", $"npy:{npz}"], evalOutput, evalError);
        Assert.True(evalCode == 0, evalOutput.ToString() + evalError.ToString());
        log.WriteLine(evalOutput.ToString());
        Assert.Contains("reference stored outputs", evalOutput.ToString(), StringComparison.Ordinal);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"top-1 agreement  {agreed / 40.0 * 100:F2}%"), evalOutput.ToString(), StringComparison.Ordinal);
    }
}
