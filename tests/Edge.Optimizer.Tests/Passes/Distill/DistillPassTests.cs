using Edge.Onnx;
using Edge.Optimizer.Passes.Distill;
using Edge.Optimizer.Pipeline;
using Edge.TestUtilities;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Optimizer.Tests.Passes.Distill;

public sealed class DistillPassTests
{
    private static string Teacher => TestData.File("models/mnist/mnist.onnx");

    private static string Mnist(int first, int end) => $"mnist:{TestData.Directory("datasets/mnist")}@{first}:{end}";

    private static DistillOptions Options(string checkpoint, int epochs = 2, int? maxSteps = null, bool resume = false) => new()
    {
        TeacherPath = Teacher,
        Width = 0.5,
        Dataset = Mnist(0, 256),
        UseLabels = true,
        Epochs = epochs,
        BatchSize = 64,
        LearningRate = 0.003,
        CheckpointDirectory = checkpoint,
        MaxSteps = maxSteps,
        Resume = resume,
        Seed = 3,
    };

    [Fact]
    public async Task RunAsync_WidthHalfMnist_LossDecreasesAndWriteBackMatchesTorchSharp()
    {
        using var folder = new TemporaryFolder();
        var teacher = await OnnxModel.LoadAsync(Teacher);

        var result = await new DistillPass().RunAsync(teacher, Options(Path.Combine(folder.Path, "ckpt"), epochs: 3), PassContext.Silent, CancellationToken.None);

        var epochs = result.Report["epochs"]!.AsArray();
        Assert.Equal(3, epochs.Count);
        Assert.True((double)epochs[^1]!["mean_loss"]! < (double)epochs[0]!["mean_loss"]!, $"loss did not decrease: {epochs.ToJsonString()}");
        Assert.True((double)result.Report["write_back_max_difference"]! <= 1e-4);
        Assert.Empty(result.Model.Validate());
        var teacherWeights = teacher.Proto.Graph.Initializer.Sum(i => i.Dims.Aggregate(1L, (a, b) => a * b));
        var studentWeights = result.Model.Proto.Graph.Initializer.Sum(i => i.Dims.Aggregate(1L, (a, b) => a * b));
        Assert.True(studentWeights < teacherWeights * 0.6, $"student has {studentWeights} weights, teacher {teacherWeights}");
        using var session = new InferenceSession(result.Model.Proto.ToByteArray());
        Assert.Single(session.OutputMetadata);
    }

    [Fact]
    public async Task RunAsync_ResumedAfterFirstEpoch_EndsWithTheUninterruptedRunsWeights()
    {
        using var folder = new TemporaryFolder();
        var teacher = await OnnxModel.LoadAsync(Teacher);
        var pass = new DistillPass();
        var straight = await pass.RunAsync(teacher, Options(Path.Combine(folder.Path, "a")), PassContext.Silent, CancellationToken.None);

        var stopped = await pass.RunAsync(teacher, Options(Path.Combine(folder.Path, "b"), maxSteps: 4), PassContext.Silent, CancellationToken.None);
        var resumed = await pass.RunAsync(teacher, Options(Path.Combine(folder.Path, "b"), resume: true), PassContext.Silent, CancellationToken.None);

        Assert.Single(stopped.Report["epochs"]!.AsArray());
        Assert.Equal(2, resumed.Report["epochs"]!.AsArray().Count);
        var expected = straight.Model.Proto.Graph.Initializer.ToDictionary(i => i.Name, i => Onnx.Graph.TensorData.ReadRawBytes(i));
        var stoppedWeights = stopped.Model.Proto.Graph.Initializer.ToDictionary(i => i.Name, i => Onnx.Graph.TensorData.ReadRawBytes(i));
        Assert.Contains(expected, e => !e.Value.SequenceEqual(stoppedWeights[e.Key]));
        foreach (var initializer in resumed.Model.Proto.Graph.Initializer)
        {
            Assert.True(expected[initializer.Name].SequenceEqual(Onnx.Graph.TensorData.ReadRawBytes(initializer)), $"initializer '{initializer.Name}' differs after resume");
        }
    }

    [Fact]
    public async Task RunAsync_ResumeWithDifferentOptions_ThrowsNamingTheMismatch()
    {
        using var folder = new TemporaryFolder();
        var teacher = await OnnxModel.LoadAsync(Teacher);
        var checkpoint = Path.Combine(folder.Path, "ckpt");
        await new DistillPass().RunAsync(teacher, Options(checkpoint, epochs: 1), PassContext.Silent, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            new DistillPass().RunAsync(teacher, Options(checkpoint, epochs: 3, resume: true), PassContext.Silent, CancellationToken.None));

        Assert.Contains("different options", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadOptions_ListsEveryProblem()
    {
        var options = new DistillOptions
        {
            TeacherPath = "t.onnx",
            Dataset = "mnist:x",
            CheckpointDirectory = "c",
            Width = 1.5,
            Epochs = 0,
            Alpha = 2,
            Temperature = 0,
            Augment = ["rotate"],
            Hints = ["nohint"],
        };

        var errors = new DistillPass().Validate(options);

        Assert.Equal(6, errors.Count);
        Assert.Contains(errors, e => e.Contains("--width must be in (0, 1], but was 1.5", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("rotate", StringComparison.Ordinal));
    }
}
