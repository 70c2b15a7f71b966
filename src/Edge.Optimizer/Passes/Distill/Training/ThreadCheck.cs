using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// Before training at more than one thread, checks that libtorch's multi-threaded kernels compute what one thread
/// computes: the loss and every gradient of one batch, once at one thread and <see cref="Repetitions"/> times at the
/// requested count, from the same weights and seed. Threads may only reorder float sums, so gradients must agree
/// within <see cref="Tolerance"/> of each tensor's largest gradient, and repeated runs must agree with each other.
/// When they do not (a kernel that races or misbehaves on this CPU), oneDNN's kernels are turned off and the check
/// repeated; if that does not help either, training runs at one thread. The result is logged and reported.
/// </summary>
internal static class ThreadCheck
{
    /// <summary>Allowed gradient difference, relative to each tensor's largest gradient: float reordering is ~1e-6.</summary>
    public const double Tolerance = 1e-3;

    /// <summary>Runs at the requested thread count, each compared with the one-thread result.</summary>
    public const int Repetitions = 3;

    /// <summary>
    /// Runs the check. <paramref name="lossOfProbeBatch"/> computes the loss of a fixed batch from the current
    /// weights (seeded inside); <paramref name="restore"/> puts back any state the forward pass changed.
    /// </summary>
    public static ThreadCheckResult Run(int threads, Func<Tensor> lossOfProbeBatch, IReadOnlyList<Parameter> parameters, Action restore)
    {
        if (threads <= 1)
        {
            torch.set_num_threads(1);
            return new ThreadCheckResult(threads, 1, OneDnnSwitch.Enabled ?? true, null, null, null);
        }

        var first = WorstDifference(threads, lossOfProbeBatch, parameters, restore);
        if (first <= Tolerance)
        {
            torch.set_num_threads(threads);
            return new ThreadCheckResult(threads, threads, OneDnnSwitch.Enabled ?? true, first, first, null);
        }

        if (OneDnnSwitch.TrySet(false))
        {
            var withoutOneDnn = WorstDifference(threads, lossOfProbeBatch, parameters, restore);
            if (withoutOneDnn <= Tolerance)
            {
                torch.set_num_threads(threads);
                return new ThreadCheckResult(threads, threads, false, first, withoutOneDnn,
                    $"at {threads} threads libtorch's gradients differed from one thread's by {first:G3} (tolerance {Tolerance:G1}); with oneDNN kernels off they agree ({withoutOneDnn:G3}), so training runs without them");
            }

            OneDnnSwitch.TrySet(true);
        }

        torch.set_num_threads(1);
        return new ThreadCheckResult(threads, 1, OneDnnSwitch.Enabled ?? true, first, null,
            $"at {threads} threads libtorch's gradients differed from one thread's by {first:G3} (tolerance {Tolerance:G1}), also without oneDNN kernels; training runs at one thread on this CPU");
    }

    private static double WorstDifference(int threads, Func<Tensor> lossOfProbeBatch, IReadOnlyList<Parameter> parameters, Action restore)
    {
        var reference = Gradients(1, lossOfProbeBatch, parameters, restore);
        var worst = 0.0;
        for (var i = 0; i < Repetitions; i++)
        {
            worst = Math.Max(worst, Difference(reference, Gradients(threads, lossOfProbeBatch, parameters, restore)));
        }

        return worst;
    }

    /// <summary>The loss and each parameter's gradient (empty when the parameter gets none), as host arrays.</summary>
    private static float[][] Gradients(int threads, Func<Tensor> lossOfProbeBatch, IReadOnlyList<Parameter> parameters, Action restore)
    {
        torch.set_num_threads(threads);
        try
        {
            using var scope = torch.NewDisposeScope();
            foreach (var p in parameters)
            {
                p.grad?.zero_();
            }

            var loss = lossOfProbeBatch();
            loss.backward();
            var result = new float[parameters.Count + 1][];
            result[0] = [loss.item<float>()];
            for (var i = 0; i < parameters.Count; i++)
            {
                result[i + 1] = parameters[i].grad is { } g ? g.contiguous().data<float>().ToArray() : [];
            }

            return result;
        }
        finally
        {
            foreach (var p in parameters)
            {
                p.grad?.zero_();
            }

            restore();
        }
    }

    /// <summary>Largest |a − b| of each tensor relative to its largest |a|; infinite when anything is non-finite.</summary>
    private static double Difference(float[][] a, float[][] b)
    {
        var worst = 0.0;
        for (var t = 0; t < a.Length; t++)
        {
            var scale = 0.0;
            var diff = 0.0;
            for (var i = 0; i < a[t].Length; i++)
            {
                if (!float.IsFinite(a[t][i]) || !float.IsFinite(b[t][i]))
                {
                    return double.PositiveInfinity;
                }

                scale = Math.Max(scale, Math.Abs(a[t][i]));
                diff = Math.Max(diff, Math.Abs(a[t][i] - b[t][i]));
            }

            worst = Math.Max(worst, scale == 0 ? diff : diff / scale);
        }

        return worst;
    }
}
