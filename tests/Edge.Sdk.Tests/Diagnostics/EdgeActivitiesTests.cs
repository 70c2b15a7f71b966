using System.Collections.Concurrent;
using System.Diagnostics;
using Edge.Sdk.Diagnostics;
using Edge.Sdk.Inference;
using Edge.Sdk.Tests.Inference;

namespace Edge.Sdk.Tests.Diagnostics;

[Collection(SerialTests.Name)]
public sealed class EdgeActivitiesTests
{
    [Fact]
    public void Run_WithListener_OneSpanPerCallTaggedWithModelAndNoneForWarmup()
    {
        var model = $"spans-{Guid.NewGuid():N}";
        using var spans = new SpanRecorder(model);
        using var session = EdgeSession.Load(TestModels.Mnist, new EdgeSessionOptions { ModelName = model, ModelVersion = "4", WarmupRuns = 2 });

        session.Run<float, float>(TestModels.MnistInputSet(0), new float[10]);
        session.Run<float, float>(TestModels.MnistInputSet(0), new float[10]);

        Assert.Equal(2, spans.Stopped.Length);
        Assert.All(spans.Stopped, span =>
        {
            Assert.Equal(EdgeActivities.Inference, span.OperationName);
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
            Assert.Equal("4", span.GetTagItem(EdgeMetrics.VersionTag));
            Assert.Equal("Cpu", span.GetTagItem(EdgeMetrics.ProviderTag));
        });
    }

    [Fact]
    public void Run_OnnxRuntimeFails_SpanEndsWithErrorStatusAndType()
    {
        var model = $"spans-{Guid.NewGuid():N}";
        using var spans = new SpanRecorder(model);
        using var session = EdgeSession.Load(TestModels.BertQa, new EdgeSessionOptions { ModelName = model });
        using var request = session.CreateRequest();
        var ids = new int[7];
        foreach (var input in session.Inputs)
        {
            request.SetInput<int>(input.Name, input.Name == "input_ids" ? ids : new int[7], [1, 7]);
        }

        ids[3] = 5000; // outside the toy vocabulary: the Gather fails inside ONNX Runtime
        Assert.Throws<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>(request.Run);

        var span = Assert.Single(spans.Stopped);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(typeof(Microsoft.ML.OnnxRuntime.OnnxRuntimeException).FullName, span.GetTagItem(EdgeActivities.ErrorTypeTag));
    }

    /// <summary>Samples every "Edge.Sdk" span and keeps those of one model.</summary>
    private sealed class SpanRecorder : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _stopped = new();

        public SpanRecorder(string model)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == EdgeActivities.SourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (Equals(activity.GetTagItem(EdgeMetrics.ModelTag), model))
                    {
                        _stopped.Enqueue(activity);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public Activity[] Stopped => [.. _stopped];

        public void Dispose() => _listener.Dispose();
    }
}
