using Edge.Sdk.Inference;

namespace Edge.Sdk.Tests.Inference;

public sealed class InputValidationTests
{
    [Fact]
    public void SetInput_UnknownName_NamesInputAndListsModelInputs()
    {
        using var session = EdgeSession.Load(TestModels.Mnist);
        using var request = session.CreateRequest();

        var error = Assert.Throws<InputMismatchException>(() => request.SetInput<float>("image", new float[784]));

        Assert.Equal("image", error.InputName);
        Assert.Contains("'Input3' float[1x1x28x28]", error.Expected, StringComparison.Ordinal);
        Assert.Contains("unknown input name 'image'", error.Actual, StringComparison.Ordinal);
    }

    [Fact]
    public void SetInput_WrongElementType_SaysExpectedAndActualType()
    {
        using var session = EdgeSession.Load(TestModels.Mnist);
        using var request = session.CreateRequest();

        var error = Assert.Throws<InputMismatchException>(() => request.SetInput<double>(TestModels.MnistInput, new double[784]));

        Assert.Equal(TestModels.MnistInput, error.InputName);
        Assert.Contains("float (Single)", error.Expected, StringComparison.Ordinal);
        Assert.Equal("Double", error.Actual);
    }

    [Fact]
    public void SetInput_WrongDimension_SaysWhichDimensionAndValues()
    {
        using var session = EdgeSession.Load(TestModels.Mnist);
        using var request = session.CreateRequest();

        var error = Assert.Throws<InputMismatchException>(
            () => request.SetInput<float>(TestModels.MnistInput, new float[784], [1, 1, 14, 56]));

        Assert.Contains("dimension 2 = 28", error.Expected, StringComparison.Ordinal);
        Assert.Contains("14 in shape [1x1x14x56]", error.Actual, StringComparison.Ordinal);
    }

    [Fact]
    public void SetInput_WrongRank_SaysBothRanks()
    {
        using var session = EdgeSession.Load(TestModels.Mnist);
        using var request = session.CreateRequest();

        var error = Assert.Throws<InputMismatchException>(() => request.SetInput<float>(TestModels.MnistInput, new float[784], [1, 784]));

        Assert.Contains("rank 4", error.Expected, StringComparison.Ordinal);
        Assert.Contains("rank 2 [1x784]", error.Actual, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WrongElementCount_ThrowsAndSessionStaysUsable()
    {
        using var session = EdgeSession.Load(TestModels.Mnist);
        var output = new float[10];

        var error = Assert.Throws<InputMismatchException>(() => session.Run<float, float>(new float[783], output));
        session.Run<float, float>(TestModels.MnistInputSet(0), output);

        Assert.Contains("784 elements", error.Expected, StringComparison.Ordinal);
        Assert.Equal("783 elements", error.Actual);
        TestModels.AssertClose(TestModels.MnistOutputSet(0), output, 1e-4f);
    }

    [Fact]
    public void Request_BadCallThenGoodCall_KeepsPreviousBindingAndRuns()
    {
        using var session = EdgeSession.Load(TestModels.Mnist);
        using var request = session.CreateRequest();
        request.SetInput<float>(TestModels.MnistInput, TestModels.MnistInputSet(1));

        Assert.Throws<InputMismatchException>(() => request.SetInput<float>(TestModels.MnistInput, new float[10], [1, 1, 28, 28]));
        Assert.Throws<InputMismatchException>(() => request.SetInput<int>(TestModels.MnistInput, new int[784]));
        request.Run();

        TestModels.AssertClose(TestModels.MnistOutputSet(1), request.GetOutput<float>(TestModels.MnistOutput), 1e-4f);
    }

    [Fact]
    public void SetInput_DynamicBatchAnyPositiveSize_AcceptedAndZeroRejected()
    {
        using var session = EdgeSession.Load(TestModels.BertQa);
        using var request = session.CreateRequest();
        var ids = new int[3 * 7];

        request.SetInput<int>("input_ids", ids, [3, 7]);
        var error = Assert.Throws<InputMismatchException>(() => request.SetInput<int>("input_ids", Array.Empty<int>(), [0, 7]));

        Assert.Contains("positive size for dynamic dimension 0 (batch_size)", error.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_InputNotBound_NamesTheMissingInput()
    {
        using var session = EdgeSession.Load(TestModels.Mnist);
        using var request = session.CreateRequest();

        var error = Assert.Throws<InvalidOperationException>(request.Run);

        Assert.Contains("Input 'Input3'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetOutput_WrongType_SaysWhatTheOutputHolds()
    {
        using var session = EdgeSession.Load(TestModels.Mnist);
        using var request = session.CreateRequest();
        request.SetInput<float>(TestModels.MnistInput, TestModels.MnistInputSet(0));
        request.Run();

        var error = Assert.Throws<InvalidOperationException>(() => request.GetOutput<int>(TestModels.MnistOutput).Length);

        Assert.Contains("holds Single", error.Message, StringComparison.Ordinal);
    }
}
