using Edge.Packaging;

namespace Edge.Agent.Ota.Health;

/// <summary>A golden sample of a slot with its tensors read from disk.</summary>
internal sealed record GoldenSample(PackageGoldenSample Spec, IReadOnlyList<GoldenTensor> Inputs, IReadOnlyList<GoldenTensor> Outputs)
{
    public static async Task<IReadOnlyList<GoldenSample>> LoadAsync(IReadOnlyList<PackageGoldenSample> specs, Func<string, string> resolve, CancellationToken cancellationToken)
    {
        var samples = new List<GoldenSample>(specs.Count);
        foreach (var spec in specs)
        {
            samples.Add(new GoldenSample(spec, await ReadAllAsync(spec.Inputs, resolve, cancellationToken), await ReadAllAsync(spec.Outputs, resolve, cancellationToken)));
        }

        return samples;
    }

    private static async Task<IReadOnlyList<GoldenTensor>> ReadAllAsync(IReadOnlyList<string> paths, Func<string, string> resolve, CancellationToken cancellationToken)
    {
        var tensors = new List<GoldenTensor>(paths.Count);
        foreach (var path in paths)
        {
            tensors.Add(TensorProtoReader.Read(await File.ReadAllBytesAsync(resolve(path), cancellationToken), $"golden tensor '{path}'"));
        }

        return tensors;
    }
}
