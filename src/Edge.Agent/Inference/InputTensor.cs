using Edge.Sdk.Inference;

namespace Edge.Agent.Inference;

/// <summary>One input of an infer request, parsed and checked against the model, ready to bind.</summary>
internal abstract class InputTensor
{
    protected InputTensor(string name, long[] shape)
    {
        Name = name;
        Shape = shape;
    }

    public string Name { get; }

    public long[] Shape { get; }

    /// <summary>Binds the elements to <paramref name="request"/> without copying them again.</summary>
    public abstract void Bind(InferenceRequest request);

    /// <summary>Shows this input and a float output to the host's observers (<see cref="ModelHost.NotifyObservers"/>).</summary>
    public abstract void Notify(ModelHost host, EdgeSession session, ReadOnlySpan<float> output);
}
