using Edge.Sdk.Inference;

namespace Edge.Sdk.Tests.Inference;

/// <summary>ModelHost.Observer sees each successful Run with the app's input and output, and its faults never reach the call.</summary>
public sealed class ModelHostObserverTests
{
    [Fact]
    public void Run_WithObserver_SeesTheInputAndTheOutputTheAppGot()
    {
        using var host = new ModelHost(EdgeSession.Load(TestModels.Mnist, new EdgeSessionOptions { Provider = ExecutionProvider.Cpu, ModelName = "mnist", ModelVersion = "1" }));
        var observer = new Recording();
        host.Observer = observer;
        var input = TestModels.MnistInputSet(0);
        var output = new float[10];

        host.Run<float, float>(input, output);

        Assert.Equal("mnist", observer.Model);
        Assert.Equal(input, observer.Input);
        Assert.Equal(output, observer.Output);
        host.Observer = null;
        host.Run<float, float>(input, output);
        Assert.Equal(1, observer.Calls);
    }

    [Fact]
    public void Run_ObserverThrows_CallSucceedsWithItsOutput()
    {
        using var host = new ModelHost(EdgeSession.Load(TestModels.Mnist, new EdgeSessionOptions { Provider = ExecutionProvider.Cpu }));
        host.Observer = new Throwing();
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
