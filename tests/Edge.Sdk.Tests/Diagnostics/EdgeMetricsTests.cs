using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Edge.Sdk.Diagnostics;
using Edge.Sdk.Inference;
using Edge.Sdk.Tests.Inference;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Sdk.Tests.Diagnostics;

[Collection(SerialTests.Name)]
public sealed class EdgeMetricsTests
{
    [Fact]
    public void Run_WithListener_RecordsCallsDurationAndTagsButNotWarmup()
    {
        var model = $"metrics-{Guid.NewGuid():N}";
        using var recorder = new Recorder(model);
        var time = new FakeTimeProvider();
        using var session = EdgeSession.Load(TestModels.Mnist, new EdgeSessionOptions { ModelName = model, ModelVersion = "3", WarmupRuns = 2, TimeProvider = time });
        var output = new float[10];

        for (var i = 0; i < 5; i++)
        {
            session.Run<float, float>(TestModels.MnistInputSet(0), output);
        }

        Assert.Equal(5, recorder.Sum(EdgeMetrics.InferenceCalls));
        Assert.Equal(0, recorder.Sum(EdgeMetrics.InferenceErrors));
        var durations = recorder.Values(EdgeMetrics.InferenceDuration);
        Assert.Equal(5, durations.Length);
        Assert.All(durations, d => Assert.Equal(0, d)); // the fake clock never moved
        var tags = recorder.Tags(EdgeMetrics.InferenceDuration);
        Assert.Equal(model, tags[EdgeMetrics.ModelTag]);
        Assert.Equal("3", tags[EdgeMetrics.VersionTag]);
        Assert.Equal("Cpu", tags[EdgeMetrics.ProviderTag]);
        Assert.Equal("s", recorder.Unit(EdgeMetrics.InferenceDuration)); // OpenTelemetry semantic conventions: seconds
    }

    [Fact]
    public void Run_OnnxRuntimeFailsAtRunTime_CountsAnErrorAndTheRequestStaysUsable()
    {
        var model = $"metrics-{Guid.NewGuid():N}";
        using var recorder = new Recorder(model);
        using var session = EdgeSession.Load(TestModels.BertQa, new EdgeSessionOptions { ModelName = model });
        using var request = session.CreateRequest();
        var ids = new int[7];
        foreach (var input in session.Inputs)
        {
            request.SetInput<int>(input.Name, input.Name == "input_ids" ? ids : new int[7], [1, 7]);
        }

        ids[3] = 5000; // the toy vocabulary has 20 tokens, so the embedding Gather fails inside ONNX Runtime
        Assert.Throws<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>(request.Run);
        ids[3] = 4;
        request.Run();

        Assert.Equal(2, recorder.Sum(EdgeMetrics.InferenceCalls));
        Assert.Equal(1, recorder.Sum(EdgeMetrics.InferenceErrors));
        Assert.Single(recorder.Values(EdgeMetrics.InferenceDuration));
        Assert.Equal(7, request.GetOutput<float>(session.Outputs[0].Name).Length);
    }

    [Fact]
    public async Task MicroBatcher_QueueLength_RisesWhileWaitingAndReturnsToZero()
    {
        var model = $"metrics-{Guid.NewGuid():N}";
        using var recorder = new Recorder(model);
        using var host = ModelHost.Load(TestModels.BertQa, new EdgeSessionOptions { ModelName = model });
        var time = new FakeTimeProvider();
        await using var batcher = new MicroBatcher<int, float>(host, new MicroBatcherOptions { MaxBatchSize = 8, MaxDelay = TimeSpan.FromSeconds(1), TimeProvider = time });
        ReadOnlyMemory<int>[] sample = [new int[7], new int[7], new int[7]];

        var pending = new[] { batcher.RunAsync(sample), batcher.RunAsync(sample) };
        Assert.Equal(2, recorder.Sum(EdgeMetrics.QueueLength));
        while (!pending.All(p => p.IsCompleted))
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        await Task.WhenAll(pending);
        Assert.Equal(0, recorder.Sum(EdgeMetrics.QueueLength));
        Assert.Equal(1, recorder.Sum(EdgeMetrics.InferenceCalls));
    }

    /// <summary>Listens to the "Edge.Sdk" meter and keeps only measurements tagged with one model name.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly string model;
        private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> measurements = new();
        private readonly ConcurrentDictionary<string, string?> units = new();

        public Recorder(string model)
        {
            this.model = model;
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == EdgeMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
            listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
            listener.Start();
        }

        public double Sum(string instrument) => measurements.Where(m => m.Instrument == instrument).Sum(m => m.Value);

        public double[] Values(string instrument) => [.. measurements.Where(m => m.Instrument == instrument).Select(m => m.Value)];

        public Dictionary<string, object?> Tags(string instrument) => measurements.First(m => m.Instrument == instrument).Tags;

        public string? Unit(string instrument) => units[instrument];

        public void Dispose() => listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            if (Equals(copy.GetValueOrDefault(EdgeMetrics.ModelTag), model))
            {
                measurements.Enqueue((instrument.Name, value, copy));
                units[instrument.Name] = instrument.Unit;
            }
        }
    }
}
