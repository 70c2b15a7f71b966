using Edge.Agent.Drift;
using Edge.Agent.Ota;
using Edge.Agent.Ota.Slots;
using Edge.Agent.Tests.Support;
using Edge.Packaging;
using Edge.Sdk.Inference;
using Edge.TestUtilities;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Agent.Tests.Drift;

/// <summary>The agent's drift window on a real ONNX Runtime host serving MNIST: figures, reset on swap, drops counted.</summary>
public sealed class DriftMonitorTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly ActiveModel _model = new();
    private readonly Dictionary<string, SlotManifest> _slots = new(StringComparer.Ordinal);

    private static string Mnist => TestData.File("models/mnist/mnist.onnx");

    /// <summary>Input3 with mean 0 and variance 1; confidences spread evenly.</summary>
    private static PackageDriftReference Reference() => new()
    {
        Task = DriftStatistics.Classification,
        Samples = 100,
        Inputs = [new PackageDriftInput { Name = "Input3", Means = [0], Variances = [1] }],
        Confidence = [.. Enumerable.Repeat(0.1, 10)],
    };

    public void Dispose() => _model.Dispose();

    [Fact]
    public async Task Window_ConstantInputs_GivesTheClosedFormDistanceAndPsi()
    {
        var monitor = Monitor(new DriftOptions { SampleFraction = 1, WindowSamples = 20, QueueCapacity = 100 });
        await monitor.StartAsync(CancellationToken.None);
        await LoadAsync("1.0.0", "a", Reference());
        await WaitAsync(monitor, f => f is not null, "the window on 1.0.0");

        Run(25, value: 2f);
        var figures = await WaitAsync(monitor, f => f is { Sampled: 25 } && f.Samples == 20, "a full window of 20 of the 25 calls");
        await monitor.StopAsync(CancellationToken.None);

        // Every pixel 2: window mean 2, variance 0 (raised to the floor), against N(0, 1).
        Assert.Equal(DriftStatistics.GaussianKl(2, 0, 0, 1), figures!.InputDistance!.Value, 9);
        Assert.Equal(("Input3", 0, 0L), (figures.Input, figures.Channel!.Value, figures.Dropped));

        // One input gives one answer, so every confidence lands in the same bin: PSI against an even histogram.
        var bin = Bin(2f);
        var window = new double[10];
        window[bin] = 1;
        Assert.Equal(DriftStatistics.PopulationStabilityIndex(window, [.. Reference().Confidence!]), figures.ConfidencePsi!.Value, 9);
        Assert.Equal(("mnist", "1.0.0", 20), (figures.Model, figures.ReferenceVersion, figures.Window));
    }

    [Fact]
    public async Task Swap_ToAnotherPackage_StartsAFreshWindow_AndAPackageWithoutReferenceStopsIt()
    {
        var monitor = Monitor(new DriftOptions { SampleFraction = 1, WindowSamples = 50, QueueCapacity = 100 });
        await monitor.StartAsync(CancellationToken.None);
        await LoadAsync("1.0.0", "a", Reference());
        await WaitAsync(monitor, f => f is not null, "the window on 1.0.0");
        Run(10, value: 0.5f);
        await WaitAsync(monitor, f => f is { Samples: 10 }, "10 samples on 1.0.0");

        await LoadAsync("2.0.0", "b", Reference());
        var fresh = await WaitAsync(monitor, f => f is { ReferenceVersion: "2.0.0" }, "the window on 2.0.0");

        Assert.Equal((0, 0L, 0L), (fresh!.Samples, fresh.Sampled, fresh.Dropped));
        Assert.Null(fresh.InputDistance);
        Assert.Null(fresh.ConfidencePsi);
        Assert.IsType<DriftTap>(Assert.Single(_model.Host!.Observers));
        Run(3, value: 0.5f);
        await WaitAsync(monitor, f => f is { ReferenceVersion: "2.0.0", Samples: 3 }, "3 samples on 2.0.0");

        await LoadAsync("3.0.0", "a", reference: null);
        await WaitAsync(monitor, f => f is null, "no drift figures for a package without a reference");
        await monitor.StopAsync(CancellationToken.None);
        Assert.Empty(_model.Host!.Observers);
    }

    [Fact]
    public async Task Tap_QueueFullWithNoWorker_DropsAndCountsWithoutBlockingTheApp()
    {
        var monitor = Monitor(new DriftOptions { SampleFraction = 0.5, WindowSamples = 10, QueueCapacity = 2 });
        await LoadAsync("1.0.0", "a", Reference());

        // Not started: nothing reads the queue. 10 calls at 0.5: 5 sampled, 2 queued, 3 dropped, whatever the timing.
        monitor.Attach(_model.Host!, "mnist", "1.0.0", Reference());
        Run(10, value: 1f);

        var figures = monitor.Current!;
        Assert.Equal((5L, 3L, 0), (figures.Sampled, figures.Dropped, figures.Samples));
    }

    private DriftMonitor Monitor(DriftOptions options) =>
        new(options, _model, (slot, _) => Task.FromResult<(SlotManifest?, string?)>(_slots.TryGetValue(slot, out var m) ? (m, null) : (null, $"slot '{slot}' is empty")), NullLogger<DriftMonitor>.Instance);

    private async Task LoadAsync(string version, string slot, PackageDriftReference? reference)
    {
        _slots[slot] = new SlotManifest { Name = "mnist", Version = version, PackageSha256 = new string('0', 64), ModelPath = "model/mnist.onnx", DriftReference = reference };
        await _model.LoadOrSwapAsync(Mnist, new EdgeSessionOptions { ModelName = "mnist", ModelVersion = version }, slot, CancellationToken.None);
    }

    private void Run(int calls, float value)
    {
        var input = Enumerable.Repeat(value, 784).ToArray();
        var output = new float[10];
        for (var i = 0; i < calls; i++)
        {
            _model.Host!.Run<float, float>(input, output);
        }
    }

    /// <summary>The confidence bin MNIST gives an image of constant <paramref name="value"/>, computed apart from the monitor.</summary>
    private int Bin(float value)
    {
        var output = new float[10];
        _model.Host!.Run<float, float>(Enumerable.Repeat(value, 784).ToArray(), output);
        var top = output.Max();
        var probability = 1 / output.Sum(o => Math.Exp(o - top));
        return DriftStatistics.ConfidenceBin(probability);
    }

    private static async Task<Edge.Protocol.DriftFigures?> WaitAsync(DriftMonitor monitor, Func<Edge.Protocol.DriftFigures?, bool> condition, string what)
    {
        await MqttTestClient.WaitUntilAsync(() => condition(monitor.Current), Patience, () => $"{what}; now {monitor.Current}");
        return monitor.Current;
    }
}
