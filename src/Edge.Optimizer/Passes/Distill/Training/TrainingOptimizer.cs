using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// The optimizer step, written here rather than taken from TorchSharp 0.107's <c>optim</c>: its steps pass numbers
/// to libtorch as temporary <c>Scalar</c> objects that nothing keeps alive during the native call, so a garbage
/// collection on another thread can free one while libtorch reads it (seen in this project's tests as
/// "Unknown scalar type" from AdamW's weight decay; a freed value that still parses is silently wrong). Every scalar
/// here is created once per step and disposed after its last use. State (per parameter, in order) is saved and
/// loaded for checkpoints and the non-finite guard.
/// </summary>
internal abstract class TrainingOptimizer : IDisposable
{
    /// <summary>Opens the saved state, so a checkpoint of another format is named, not misread.</summary>
    private const string Format = "edge.distill-optimizer/1";

    protected TrainingOptimizer(IReadOnlyList<Parameter> parameters) => Parameters = parameters;

    protected IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Steps taken, for bias correction and resume.</summary>
    public long Steps { get; protected set; }

    /// <summary>Clears every gradient before the next backward pass.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters)
        {
            p.grad?.zero_();
        }
    }

    /// <summary>One update of every parameter that has a gradient, at <paramref name="learningRate"/>.</summary>
    public void Step(double learningRate)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        Steps++;
        Update(learningRate);
    }

    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Format);
        writer.Write(Steps);
        var state = State();
        writer.Write(state.Count);
        foreach (var tensor in state)
        {
            var values = tensor.contiguous().data<float>().ToArray();
            writer.Write(values.Length);
            foreach (var v in values)
            {
                writer.Write(v);
            }
        }
    }

    public void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string format;
        try
        {
            format = reader.ReadString();
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException)
        {
            throw new InvalidDataException($"The optimizer state is not '{Format}' ({e.Message}); it was written by an older edge-optimize. Run again without --resume.", e);
        }

        if (format != Format)
        {
            throw new InvalidDataException($"The optimizer state is '{(format.Length > 40 ? format[..40] : format)}', expected '{Format}'; it was written by another version of edge-optimize. Run again without --resume.");
        }

        Steps = reader.ReadInt64();
        var state = State();
        var count = reader.ReadInt32();
        if (count != state.Count)
        {
            throw new InvalidDataException($"The optimizer state holds {count} tensors, but this optimizer keeps {state.Count}; the checkpoint belongs to another student or optimizer.");
        }

        using var noGrad = torch.no_grad();
        foreach (var tensor in state)
        {
            var length = reader.ReadInt32();
            if (length != tensor.numel())
            {
                throw new InvalidDataException($"An optimizer state tensor holds {length} values where {tensor.numel()} were expected; the checkpoint belongs to another student.");
            }

            var values = new float[length];
            for (var i = 0; i < length; i++)
            {
                values[i] = reader.ReadSingle();
            }

            using var loaded = torch.tensor(values, tensor.shape);
            tensor.copy_(loaded);
        }
    }

    public void Save(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        Save(writer);
    }

    public void Load(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        Load(reader);
    }

    public void Dispose()
    {
        foreach (var tensor in State())
        {
            tensor.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Updates the parameters; called under no_grad with <see cref="Steps"/> already counting this step.</summary>
    protected abstract void Update(double learningRate);

    /// <summary>Every state tensor, in a fixed order (per parameter, as created).</summary>
    protected abstract IReadOnlyList<Tensor> State();
}
