using Edge.Sdk.Inference;

namespace Edge.Agent.Inference;

/// <summary>An input whose elements are <typeparamref name="T"/>, row-major.</summary>
internal sealed class TypedInputTensor<T> : InputTensor
    where T : unmanaged
{
    public TypedInputTensor(string name, long[] shape, T[] data)
        : base(name, shape)
    {
        Data = data;
    }

    public T[] Data { get; }

    public override void Bind(InferenceRequest request) => request.SetInput<T>(Name, Data, Shape);

    public override void Notify(ModelHost host, EdgeSession session, ReadOnlySpan<float> output) => host.NotifyObservers<T, float>(session, Data, output);
}
