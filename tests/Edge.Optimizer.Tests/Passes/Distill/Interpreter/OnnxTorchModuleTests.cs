using Edge.Optimizer.Passes.Distill.Interpreter;
using static Edge.Optimizer.Tests.Passes.Distill.Interpreter.TinyModel;

namespace Edge.Optimizer.Tests.Passes.Distill.Interpreter;

public sealed class OnnxTorchModuleTests
{
    public static IEnumerable<object[]> Cases => OpCases.Names;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_EachSupportedOp_MatchesOnnxRuntimeWithin1e4(string name)
    {
        var (model, builder) = OpCases.All[name]();

        ParityRunner.AssertParity(model, builder.Feeds);
    }

    [Fact]
    public void OpCases_CoverEverySupportedOp()
    {
        var covered = OpCases.All.Values.SelectMany(c => c().Model.Proto.Graph.Node.Select(n => n.OpType)).ToHashSet();

        var missing = NodeCompiler.SupportedOps.Append("Constant").Where(op => !covered.Contains(op)).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Create_UnsupportedOp_ThrowsNamingOpAndNode()
    {
        var m = new TinyModel();
        var relu = m.Op("Relu", [m.Input([2, 3])]);
        var erf = m.Node("Erf", [relu], name: "the_erf")[0];
        var model = m.Build(erf);

        var error = Assert.Throws<UnsupportedOperatorException>(() => OnnxTorchModule.Create(model));

        Assert.Equal("Erf", error.OpType);
        Assert.Equal("the_erf", error.NodeName);
        Assert.Contains("'the_erf' (Erf)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SupportedOpInUnsupportedForm_ThrowsNamingNodeAndAttribute()
    {
        var m = new TinyModel();
        var resized = m.Node("Resize", [m.Input([1, 1, 2, 2]), "", m.Floats([4], [1, 1, 2, 2])], name: "upsample", attributes: String("mode", "cubic"))[0];

        var error = Assert.Throws<UnsupportedOperatorException>(() => OnnxTorchModule.Create(m.Build(resized)));

        Assert.Equal("upsample", error.NodeName);
        Assert.Contains("cubic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_MaxPoolIndicesReadByGraph_ThrowsNamingTheOutput()
    {
        var m = new TinyModel();
        var outputs = m.Node("MaxPool", [m.Input([1, 1, 4, 4])], outputs: 2, name: "pool", attributes: Ints("kernel_shape", 2, 2));

        var error = Assert.Throws<UnsupportedOperatorException>(() => OnnxTorchModule.Create(m.Build(outputs[0], outputs[1])));

        Assert.Contains("pool_out1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_DropoutWithUnreadMask_RunsAsIdentityInEval()
    {
        var m = new TinyModel(opset: 7);
        var outputs = m.Node("Dropout", [m.Input([2, 3])], outputs: 2, attributes: Float("ratio", 0.5f));

        ParityRunner.AssertParity(m.Build(outputs[0]), m.Feeds);
    }

    [Fact]
    public void Forward_BatchNormalizationInTraining_UpdatesRunningStatisticsWithOnnxMomentum()
    {
        var m = new TinyModel();
        var mean = m.Floats([2], [0f, 1f]);
        var variance = m.Floats([2], [1f, 2f]);
        var y = m.Op("BatchNormalization", [m.Input([4, 2, 3, 3]), m.Floats([2]), m.Floats([2]), mean, variance], Float("momentum", 0.8f));
        using var module = OnnxTorchModule.Create(m.Build(y));
        var data = m.Feeds.Values.Single();
        var x = TorchSharp.torch.tensor(data.Data, data.Shape);
        var batchMean = x.mean([0L, 2L, 3L]).data<float>().ToArray();
        var batchVariance = x.var([0L, 2L, 3L], unbiased: true).data<float>().ToArray();

        module.train();
        module.Forward(x).Dispose();

        var runningMean = module.RunningStatistics[mean].data<float>().ToArray();
        var runningVariance = module.RunningStatistics[variance].data<float>().ToArray();
        Assert.Equal((0.8f * 0f) + (0.2f * batchMean[0]), runningMean[0], 5);
        Assert.Equal((0.8f * 1f) + (0.2f * batchMean[1]), runningMean[1], 5);
        Assert.Equal((0.8f * 2f) + (0.2f * batchVariance[1]), runningVariance[1], 5);
    }

    [Fact]
    public void Create_MnistModel_TrainsConvAndGemmWeightsAndMatchesOnnxRuntime()
    {
        var model = Onnx.OnnxModel.Load(TestUtilities.TestData.File("models/mnist/mnist.onnx"));
        var feeds = new Dictionary<string, (float[], long[])>
        {
            [model.Proto.Graph.Input[0].Name] = ([.. Enumerable.Range(0, 784).Select(i => (i % 29) / 29f)], [1, 1, 28, 28]),
        };

        using var module = OnnxTorchModule.Create(model);

        Assert.NotEmpty(module.TrainableParameters);
        ParityRunner.AssertParity(model, feeds);
    }
}
