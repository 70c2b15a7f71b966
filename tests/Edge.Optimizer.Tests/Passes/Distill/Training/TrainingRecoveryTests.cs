using System.Text.Json.Nodes;
using Edge.Onnx;
using Edge.Onnx.Graph;
using Edge.Optimizer.Passes.Distill;
using Edge.Optimizer.Passes.Distill.Training;
using Edge.Optimizer.Pipeline;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Passes.Distill.Training;

/// <summary>
/// A non-finite loss (injected through the trainer's fault seam, as a diverging step would produce it) never
/// reaches a file: the epoch restarts from its finite start at half the learning rate, and after the allowed
/// restarts training stops with one line while the last finished epoch's checkpoint stays usable.
/// </summary>
public sealed class TrainingRecoveryTests
{
    private static string Teacher => TestData.File("models/mnist/mnist.onnx");

    private static DistillOptions Options(string checkpoint, bool resume = false) => new()
    {
        TeacherPath = Teacher,
        Width = 0.5,
        Dataset = $"mnist:{TestData.Directory("datasets/mnist")}@0:256",
        UseLabels = true,
        Epochs = 2,
        LearningRate = 0.003,
        Seed = 3,
        CheckpointDirectory = checkpoint,
        Resume = resume,
    };

    [Fact]
    public async Task RunAsync_OneNonFiniteStep_RestartsTheEpochAtHalfTheRateAndRecordsIt()
    {
        using var folder = new TemporaryFolder();
        var checkpoint = Path.Combine(folder.Path, "ckpt");
        var injected = 0;
        var pass = new DistillPass { NonFiniteLossAt = (epoch, step) => epoch == 1 && step == 2 && injected++ == 0 };

        var result = await pass.RunAsync(await OnnxModel.LoadAsync(Teacher), Options(checkpoint), PassContext.Silent, CancellationToken.None);

        var recovery = Assert.Single(result.Report["recoveries"]!.AsArray())!;
        Assert.Equal(1, (int)recovery["epoch"]!);
        Assert.Equal(3, (long)recovery["step"]!);
        Assert.Equal(0.5, (double)recovery["learning_rate_scale"]!);
        Assert.Contains("NaN", (string)recovery["cause"]!, StringComparison.Ordinal);
        Assert.True(double.IsFinite((double)recovery["last_finite_loss"]!));
        Assert.All(result.Model.Proto.Graph.Initializer.Where(i => i.DataType == 1), i => Assert.All(TensorData.ReadFloats(i), v => Assert.True(float.IsFinite(v))));
        var state = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(checkpoint, "state.json")))!;
        Assert.Equal(0.5, (double)state["learning_rate_scale"]!);
        Assert.Single(state["recoveries"]!.AsArray());
    }

    [Fact]
    public async Task RunAsync_NonFiniteEveryTimeInEpochTwo_StopsNamingEpochAndStepAndKeepsEpochOnesCheckpoint()
    {
        using var folder = new TemporaryFolder();
        var checkpoint = Path.Combine(folder.Path, "ckpt");
        var teacher = await OnnxModel.LoadAsync(Teacher);
        var pass = new DistillPass { NonFiniteLossAt = (epoch, step) => epoch == 2 && step == 5 };

        var error = await Assert.ThrowsAsync<TrainingDivergedException>(() => pass.RunAsync(teacher, Options(checkpoint), PassContext.Silent, CancellationToken.None));

        Assert.StartsWith("training diverged at epoch 2, step 6: the loss became NaN again after 3 restarts", error.Message, StringComparison.Ordinal);
        Assert.Contains("last finite loss", error.Message, StringComparison.Ordinal);
        Assert.Contains("the checkpoint of epoch 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, error.Recoveries.Count);
        Assert.Equal(0.125, error.Recoveries[^1].LearningRateScale);
        var state = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(checkpoint, "state.json")))!;
        Assert.Equal(1, (int)state["epochs_done"]!);
        Assert.Empty(state["recoveries"]!.AsArray());
        var saved = await OnnxModel.LoadAsync(Path.Combine(checkpoint, "student.onnx"));
        Assert.All(saved.Proto.Graph.Initializer.Where(i => i.DataType == 1), i => Assert.All(TensorData.ReadFloats(i), v => Assert.True(float.IsFinite(v))));

        var resumed = await new DistillPass().RunAsync(teacher, Options(checkpoint, resume: true), PassContext.Silent, CancellationToken.None);

        Assert.Equal(2, resumed.Report["epochs"]!.AsArray().Count);
    }
}
