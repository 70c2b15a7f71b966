using Edge.Sdk.Inference;

namespace Edge.Sdk.Tests.Processing;

/// <summary>
/// Runs a one-input image model through the SDK (an <see cref="EdgeSession"/> on the CPU with one request), as a
/// device app would, for the accuracy tests: one float input, float outputs copied out.
/// </summary>
internal sealed class SdkModel : IDisposable
{
    private readonly EdgeSession _session;
    private readonly InferenceRequest _request;
    private readonly long[] _inputShape;

    public SdkModel(string path)
    {
        _session = EdgeSession.Load(path, new EdgeSessionOptions { Provider = ExecutionProvider.Cpu, Cpu = new CpuProviderOptions { IntraOpThreads = 1 } });
        _request = _session.CreateRequest();
        var input = _session.Inputs.Single();
        InputName = input.Name;
        InputShape = [.. input.Dimensions.Select(d => (int)d)];
        _inputShape = [.. input.Dimensions.Select(d => Math.Max(d, 1))];
    }

    public string InputName { get; }

    public int[] InputShape { get; }

    public float[][] Run(float[] input)
    {
        _request.SetInput<float>(InputName, input, _inputShape);
        _request.Run();
        return [.. _session.Outputs.Select(o => _request.GetOutput<float>(o.Name).ToArray())];
    }

    public void Dispose()
    {
        _request.Dispose();
        _session.Dispose();
    }
}
