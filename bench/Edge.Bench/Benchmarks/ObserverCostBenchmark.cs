using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Agent;
using Edge.Agent.Capture;
using Edge.Agent.Drift;
using Edge.Agent.Ota.Slots;
using Edge.Agent.Tests.Ota.Support;
using Edge.Bench.Harness;
using Edge.Packaging;
using Edge.Sdk.Inference;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// What drift statistics and field-data capture cost the app. In one child: the same served mnist variant and paced
/// app thread as shadow-cost (a call every 2 ms, each attaching a real camera JPEG as its raw frame); after a
/// warm-up, each round has four windows in a rotated order: no observer, the agent's <see cref="DriftMonitor"/> at 10%
/// sampling, the agent's capture sampler at 10% sampling writing to its owner-only ring on disk (the capture
/// service's write loop), and the same keeping the raw frames too. The app's p95 in each kind of window is compared
/// with the windows without an observer; the machine's load average goes into the JSON.
/// </summary>
internal sealed class ObserverCostBenchmark : IBenchmark
{
    private const double Fraction = 0.1;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(4);

    public string Name => "observer-cost";

    public string Description => "drift statistics and field-data capture (with and without raw frames): the app's call p95 with none vs each at 10% sampling, side by side";

    public Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken) =>
        context.RunChildAsync(this, [context.Quick ? "2" : "6"], cancellationToken);

    public JsonObject RunChild(IReadOnlyList<string> arguments) =>
        RunAsync(int.Parse(arguments[0], CultureInfo.InvariantCulture)).GetAwaiter().GetResult();

    private static async Task<JsonObject> RunAsync(int rounds)
    {
        var loadBefore = FleetScale.ProcFigures.LoadAverageLine();
        var folder = Directory.CreateTempSubdirectory("edge-observer-cost-").FullName;
        try
        {
            var served = OtaModels.Write(Path.Combine(folder, "served.onnx"), 4);
            using var host = new ModelHost(EdgeSession.Load(served, new EdgeSessionOptions
            {
                Provider = ExecutionProvider.Cpu, Cpu = { IntraOpThreads = 1 }, ModelName = "mnist", ModelVersion = "1.0.0",
            }));
            // Every call attaches a real camera JPEG as its raw frame, in every window, as an app that offers its frames
            // does; only the capture-raw window keeps it (the sampler's raw-frames setting).
            var photo = Directory.GetFiles(Path.Combine(Environment.GetEnvironmentVariable("EDGE_TEST_DATA")!, "datasets/imagenet-sample-500"), "*.JPEG")
                .Order(StringComparer.Ordinal).First();
            var jpeg = await File.ReadAllBytesAsync(photo);
            var attachNs = AttachNanoseconds(jpeg);
            using var traffic = new PacedTraffic(() => host, (jpeg, "image/jpeg"));
            using var model = new ActiveModel();
            var drift = new DriftMonitor(
                new DriftOptions { SampleFraction = Fraction, WindowSamples = 500 },
                model,
                (_, _) => Task.FromResult<(SlotManifest?, string?)>((null, "bench")),
                NullLogger<DriftMonitor>.Instance);
            await drift.StartAsync(CancellationToken.None);
            var capture = new CaptureRuntime(
                Options.Create(new EdgeAgentOptions { Capture = { Enabled = true, SampleFraction = Fraction, Directory = Path.Combine(folder, "capture") } }),
                TimeProvider.System);
            capture.Open();
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(() => WriteAsync(capture, stop.Token));
            await Task.Delay(2000);

            var windows = new Dictionary<string, List<double>> { ["off"] = [], ["drift"] = [], ["capture"] = [], ["capture_raw"] = [] };
            var plain = capture.Settings;
            var kinds = windows.Keys.ToArray();
            long driftSampled = 0, driftDropped = 0, driftWindowSamples = 0;
            for (var round = 0; round < rounds; round++)
            {
                for (var slot = 0; slot < kinds.Length; slot++)
                {
                    var kind = kinds[(round + slot) % kinds.Length];
                    IDisposable? registration = null;
                    if (kind == "drift")
                    {
                        drift.Attach(host, "mnist", "1.0.0", Reference());
                    }
                    else if (kind is "capture" or "capture_raw")
                    {
                        capture.Sampler.Settings = plain with { RawFrames = kind == "capture_raw" };
                        registration = host.AddObserver(capture.Sampler);
                    }

                    var start = Stopwatch.GetTimestamp();
                    await Task.Delay(Window);
                    windows[kind].AddRange(traffic.Between(start, Stopwatch.GetTimestamp()));
                    registration?.Dispose();
                    if (drift.Current is { } figures)
                    {
                        (driftSampled, driftDropped, driftWindowSamples) = (driftSampled + figures.Sampled, driftDropped + figures.Dropped, figures.Samples);
                    }

                    drift.Attach(host, "mnist", "1.0.0", reference: null);
                }
            }

            await stop.CancelAsync();
            await writer;
            await drift.StopAsync(CancellationToken.None);
            var offP95 = PacedTraffic.Percentile(windows["off"], 0.95);
            var result = new JsonObject
            {
                ["rounds"] = rounds,
                ["window_s"] = Window.TotalSeconds,
                ["sample_fraction"] = Fraction,
                ["app_call_interval_ms"] = 2,
                ["off_calls"] = windows["off"].Count,
                ["off_p50_ms"] = Math.Round(PacedTraffic.Percentile(windows["off"], 0.50), 4),
                ["off_p95_ms"] = Math.Round(offP95, 4),
            };
            foreach (var kind in new[] { "drift", "capture", "capture_raw" })
            {
                result[$"{kind}_calls"] = windows[kind].Count;
                result[$"{kind}_p50_ms"] = Math.Round(PacedTraffic.Percentile(windows[kind], 0.50), 4);
                result[$"{kind}_p95_ms"] = Math.Round(PacedTraffic.Percentile(windows[kind], 0.95), 4);
                result[$"app_p95_ratio_{kind}_over_off"] = Math.Round(PacedTraffic.Percentile(windows[kind], 0.95) / offP95, 4);
            }

            var ring = capture.Ring.Totals();
            result["drift_sampled"] = driftSampled;
            result["drift_dropped"] = driftDropped;
            result["drift_window_samples_at_window_end"] = driftWindowSamples;
            result["capture_sampled"] = capture.Sampler.Sampled;
            result["capture_dropped_queue_full"] = capture.Sampler.DroppedQueueFull;
            result["capture_raw_frames_kept"] = capture.Sampler.RawFramesKept;
            result["raw_frame_bytes"] = jpeg.Length;
            result["raw_frame_attach_and_dispose_ns"] = Math.Round(attachNs, 1);
            result["capture_ring_samples"] = ring.Samples;
            result["capture_ring_bytes"] = ring.Bytes;
            result["failed_app_calls"] = traffic.Failures;
            result["processors"] = Environment.ProcessorCount;
            result["load_average_before"] = loadBefore;
            result["load_average_after"] = FleetScale.ProcFigures.LoadAverageLine();
            capture.Dispose();
            return result;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>What <c>RawFrames.Attach</c> and disposing its scope cost the app per call: the mean of 1,000,000 after as many warm-up ones.</summary>
    private static double AttachNanoseconds(byte[] frame)
    {
        const int Calls = 1_000_000;
        var start = 0L;
        for (var pass = 0; pass < 2; pass++)
        {
            start = Stopwatch.GetTimestamp();
            for (var i = 0; i < Calls; i++)
            {
                using (RawFrames.Attach(frame, "image/jpeg"))
                {
                }
            }
        }

        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / Calls;
    }

    /// <summary>A reference for the served model's input (one channel) and a flat confidence histogram; the cost does not depend on its values.</summary>
    private static PackageDriftReference Reference() => new()
    {
        Task = DriftStatistics.Classification,
        Samples = 100,
        Inputs = [new PackageDriftInput { Name = "Input3", Means = [0], Variances = [1] }],
        Confidence = [.. Enumerable.Repeat(0.1, 10)],
    };

    /// <summary>The capture service's write loop: every queued sample goes into the ring within the settings' bounds.</summary>
    private static async Task WriteAsync(CaptureRuntime capture, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var sample in capture.Queue.ReadAllAsync(cancellationToken))
            {
                var settings = capture.Settings;
                await capture.Ring.AppendAsync(sample with { Sequence = capture.Ring.NextSequence() }, settings.MaxSamples, settings.MaxBytes, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
