using Edge.Sdk.Diagnostics;

namespace Edge.Sdk.Inference;

/// <summary>Building one batch from queued samples, running it, and slicing the outputs back.</summary>
public sealed partial class MicroBatcher<TInput, TOutput>
{
    private void Execute(List<Pending> batch)
    {
        batch.RemoveAll(p => p.Completion.Task.IsCompleted); // cancelled while queued
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            using var lease = host.Acquire();
            var session = lease.Session;
            var sampleShapes = SampleShapes(session);
            batch.RemoveAll(p => !Accepts(p, session, sampleShapes));
            if (batch.Count == 0)
            {
                return;
            }

            var count = batch.Count;
            var buffers = new TInput[session.Inputs.Count][];
            using var request = session.CreateRequest();
            for (var i = 0; i < buffers.Length; i++)
            {
                var sampleLength = (int)ShapeMath.ElementCount(sampleShapes[i]);
                buffers[i] = new TInput[count * sampleLength];
                for (var s = 0; s < count; s++)
                {
                    batch[s].Inputs[i].Span.CopyTo(buffers[i].AsSpan(s * sampleLength, sampleLength));
                }

                request.SetInput(session.Inputs[i].Name, new ReadOnlyMemory<TInput>(buffers[i]), [count, .. sampleShapes[i]]);
            }

            request.Run();
            var results = new TOutput[count][][];
            for (var s = 0; s < count; s++)
            {
                results[s] = new TOutput[session.Outputs.Count][];
            }

            for (var o = 0; o < session.Outputs.Count; o++)
            {
                var output = request.GetOutput<TOutput>(session.Outputs[o].Name);
                var perSample = output.Length / count;
                for (var s = 0; s < count; s++)
                {
                    results[s][o] = output.Slice(s * perSample, perSample).ToArray();
                }
            }

            for (var s = 0; s < count; s++)
            {
                batch[s].Completion.TrySetResult(results[s]);
            }
        }
#pragma warning disable CA1031 // Every failure must reach the callers' tasks instead of ending the loop.
        catch (Exception error)
#pragma warning restore CA1031
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(error);
            }
        }
    }

    /// <summary>Each input's shape without the batch dimension; the first dimension must be dynamic, the rest fixed.</summary>
    private static long[][] SampleShapes(EdgeSession session)
    {
        var shapes = new long[session.Inputs.Count][];
        for (var i = 0; i < shapes.Length; i++)
        {
            var info = session.Inputs[i];
            if (info.Dimensions.Count == 0 || info.Dimensions[0] >= 0 || info.Dimensions.Skip(1).Any(d => d < 0))
            {
                throw new InputMismatchException(info.Name, "a model input shaped [dynamic batch, fixed...] for micro-batching", info.ToString());
            }

            shapes[i] = [.. info.Dimensions.Skip(1)];
        }

        return shapes;
    }

    private static bool Accepts(Pending pending, EdgeSession session, long[][] sampleShapes)
    {
        if (pending.Inputs.Count != sampleShapes.Length)
        {
            pending.Completion.TrySetException(new InputMismatchException(
                "(inputs)",
                $"{sampleShapes.Length} input buffer(s): {string.Join(", ", session.Inputs.Select(i => i.Name))}",
                $"{pending.Inputs.Count}"));
            return false;
        }

        for (var i = 0; i < sampleShapes.Length; i++)
        {
            var expected = ShapeMath.ElementCount(sampleShapes[i]);
            if (pending.Inputs[i].Length != expected)
            {
                pending.Completion.TrySetException(new InputMismatchException(
                    session.Inputs[i].Name,
                    $"{expected} elements for one sample {ShapeMath.Format(sampleShapes[i])} of {session.Inputs[i]}",
                    $"{pending.Inputs[i].Length} elements"));
                return false;
            }
        }

        return true;
    }

    private sealed class Pending
    {
        public Pending(IReadOnlyList<ReadOnlyMemory<TInput>> inputs, InferenceInstruments instruments)
        {
            Inputs = inputs;
            Instruments = instruments;
        }

        public IReadOnlyList<ReadOnlyMemory<TInput>> Inputs { get; }

        public InferenceInstruments Instruments { get; }

        public TaskCompletionSource<TOutput[][]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
