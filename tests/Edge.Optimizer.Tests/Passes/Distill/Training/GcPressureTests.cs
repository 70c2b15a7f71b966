using Edge.Onnx;
using Edge.Onnx.Graph;
using Edge.Optimizer.Passes.Distill;
using Edge.Optimizer.Pipeline;
using Edge.TestUtilities;
using Xunit.Abstractions;

namespace Edge.Optimizer.Tests.Passes.Distill.Training;

/// <summary>
/// Training while another thread of the process allocates (as the quickstart's embedded broker and fleet do when
/// it distills in-process, or a test host running other tests) must give the same weights as a quiet run: a
/// garbage collection during a libtorch call must not free anything that call reads.
/// </summary>
public sealed class GcPressureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Train_WhileAnotherThreadAllocates_EndsWithTheQuietRunsWeights()
    {
        using var folder = new TemporaryFolder();
        var teacher = await OnnxModel.LoadAsync(TestData.File("models/mnist/mnist.onnx"));
        DistillOptions Options(string name) => new()
        {
            TeacherPath = TestData.File("models/mnist/mnist.onnx"),
            Width = 0.5,
            Dataset = $"mnist:{TestData.Directory("datasets/mnist")}@0:1024",
            UseLabels = true,
            Epochs = 2,
            LearningRate = 0.005,
            Threads = 2,
            CheckpointDirectory = Path.Combine(folder.Path, name),
        };

        var quiet = await new DistillPass().RunAsync(teacher, Options("quiet"), PassContext.Silent, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var collections = GC.CollectionCount(0);
        var pressure = Task.Run(() =>
        {
            // Allocation keeps gen0 collections coming; a full collection with its finalizers now and then frees any
            // unreachable temporary at once, as a busy process does sooner or later.
            var keep = new byte[64][];
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                keep[i % keep.Length] = new byte[16 * 1024];
                if (i % 256 == 0)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                }
            }
        });
        PassResult busy;
        try
        {
            busy = await new DistillPass().RunAsync(teacher, Options("busy"), PassContext.Silent, CancellationToken.None);
        }
        finally
        {
            await stop.CancelAsync();
            await pressure;
        }

        output.WriteLine($"gen0 collections during the busy run: {GC.CollectionCount(0) - collections}");
        output.WriteLine($"losses quiet {quiet.Report["epochs"]!.ToJsonString()}");
        output.WriteLine($"losses busy  {busy.Report["epochs"]!.ToJsonString()}");
        var expected = quiet.Model.Proto.Graph.Initializer.Where(i => i.DataType == 1).ToDictionary(i => i.Name, i => TensorData.ReadFloats(i));
        foreach (var initializer in busy.Model.Proto.Graph.Initializer.Where(i => i.DataType == 1))
        {
            Assert.True(expected[initializer.Name].SequenceEqual(TensorData.ReadFloats(initializer)), $"'{initializer.Name}' differs from the quiet run's");
        }
    }
}
