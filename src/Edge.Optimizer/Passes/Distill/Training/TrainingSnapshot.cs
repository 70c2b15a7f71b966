using Edge.Optimizer.Passes.Distill.Interpreter;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// An in-memory copy of everything a training step changes: the student's parameters and BatchNormalization
/// statistics, the hint projections and the optimizer's state. Taken when the weights are known to be finite and
/// restored when a step produces a non-finite loss or weight. Owns its tensor copies; dispose it to free them.
/// </summary>
internal sealed class TrainingSnapshot : IDisposable
{
    private readonly List<(Tensor Live, Tensor Copy)> tensors;
    private readonly byte[] optimizerState;

    private TrainingSnapshot(List<(Tensor Live, Tensor Copy)> tensors, byte[] optimizerState)
    {
        this.tensors = tensors;
        this.optimizerState = optimizerState;
    }

    public static TrainingSnapshot Take(OnnxTorchModule module, HintAdapters hints, TrainingOptimizer optimizer)
    {
        using var noGrad = no_grad();
        var live = module.TrainableParameters.Values.Cast<Tensor>()
            .Concat(module.RunningStatistics.Values)
            .Concat(hints.Parameters);
        var tensors = live.Select(t => (t, t.detach().clone().DetachFromDisposeScope())).ToList();
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            optimizer.Save(writer);
        }

        return new TrainingSnapshot(tensors, stream.ToArray());
    }

    /// <summary>Whether every saved tensor is finite (a snapshot of a diverged state is never taken on purpose).</summary>
    public static bool AllFinite(IEnumerable<Tensor> values)
    {
        using var scope = NewDisposeScope();
        return values.All(t => isfinite(t.detach()).all().item<bool>());
    }

    public void Restore(TrainingOptimizer optimizer)
    {
        using (no_grad())
        {
            foreach (var (live, copy) in tensors)
            {
                live.copy_(copy);
            }
        }

        using var reader = new BinaryReader(new MemoryStream(optimizerState));
        optimizer.Load(reader);
    }

    public void Dispose()
    {
        foreach (var (_, copy) in tensors)
        {
            copy.Dispose();
        }
    }
}
