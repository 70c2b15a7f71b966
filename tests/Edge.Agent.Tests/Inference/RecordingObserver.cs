using System.Runtime.InteropServices;
using Edge.Sdk.Inference;

namespace Edge.Agent.Tests.Inference;

/// <summary>Keeps a copy of the last float call an inference observer saw, and counts the calls.</summary>
internal sealed class RecordingObserver : IInferenceObserver
{
    private readonly Lock _lock = new();

    public int Calls { get; private set; }

    public float[] Input { get; private set; } = [];

    public float[] Output { get; private set; } = [];

    public void OnRun<TInput, TOutput>(EdgeSession session, ReadOnlySpan<TInput> input, ReadOnlySpan<TOutput> output)
        where TInput : unmanaged
        where TOutput : unmanaged
    {
        lock (_lock)
        {
            Calls++;
            Input = [.. MemoryMarshal.Cast<TInput, float>(input)];
            Output = [.. MemoryMarshal.Cast<TOutput, float>(output)];
        }
    }
}
