using Edge.Sdk.Inference;

namespace Edge.Sdk.Tests.Inference;

/// <summary>Each of ModelHost.Observers sees each successful Run with the app's input and output, and its faults never reach the call.</summary>
public sealed class ModelHostObserverTests
{
    [Fact]
    public void Run_WithObserver_SeesTheInputAndTheOutputTheAppGot()
    {
        using var host = new ModelHost(EdgeSession.Load(TestModels.Mnist, new EdgeSessionOptions { Provider = ExecutionProvider.Cpu, ModelName = "mnist", ModelVersion = "1" }));
        var observer = new Recording();
        var registration = host.AddObserver(observer);
        var input = TestModels.MnistInputSet(0);
        var output = new float[10];

        host.Run<float, float>(input, output);

        Assert.Equal("mnist", observer.Model);
        Assert.Equal(input, observer.Input);
        Assert.Equal(output, observer.Output);
        registration.Dispose();
        registration.Dispose();
        host.Run<float, float>(input, output);
        Assert.Equal(1, observer.Calls);
        Assert.Empty(host.Observers);
    }

    [Fact]
    public void Run_TwoObservers_BothSeeTheCallAndOneThrowingDoesNotHideTheOther()
    {
        using var host = new ModelHost(EdgeSession.Load(TestModels.Mnist, new EdgeSessionOptions { Provider = ExecutionProvider.Cpu }));
        var first = new Recording();
        var second = new Recording();
        using var a = host.AddObserver(first);
        using var b = host.AddObserver(new Throwing());
        using var c = host.AddObserver(second);
        var output = new float[10];

        host.Run<float, float>(TestModels.MnistInputSet(0), output);

        Assert.Equal(1, first.Calls);
        Assert.Equal(1, second.Calls);
        Assert.Equal(output, second.Output);
        Assert.Equal(3, host.Observers.Count);
        Assert.Throws<InvalidOperationException>(() => host.AddObserver(first));
    }

    [Fact]
    public void Run_ObserverThrows_CallSucceedsWithItsOutput()
    {
        using var host = new ModelHost(EdgeSession.Load(TestModels.Mnist, new EdgeSessionOptions { Provider = ExecutionProvider.Cpu }));
        using var registration = host.AddObserver(new Throwing());
        var output = new float[10];

        host.Run<float, float>(TestModels.MnistInputSet(0), output);

        Assert.Equal(TestModels.MnistOutputSet(0), output, (a, b) => Math.Abs(a - b) <= 1e-4f);
    }

    private sealed class Recording : IInferenceObserver
    {
        public int Calls { get; private set; }

        public string? Model { get; private set; }

        public float[] Input { get; private set; } = [];

        public float[] Output { get; private set; } = [];

        public void OnRun<TInput, TOutput>(EdgeSession session, ReadOnlySpan<TInput> input, ReadOnlySpan<TOutput> output)
            where TInput : unmanaged
            where TOutput : unmanaged
        {
            Calls++;
            Model = session.ModelName;
            Input = [.. System.Runtime.InteropServices.MemoryMarshal.Cast<TInput, float>(input)];
            Output = [.. System.Runtime.InteropServices.MemoryMarshal.Cast<TOutput, float>(output)];
        }
    }

    private sealed class Throwing : IInferenceObserver
    {
        public void OnRun<TInput, TOutput>(EdgeSession session, ReadOnlySpan<TInput> input, ReadOnlySpan<TOutput> output)
            where TInput : unmanaged
            where TOutput : unmanaged => throw new InvalidOperationException("observer fault");
    }
}
