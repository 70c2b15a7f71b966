using TorchSharp;

namespace Edge.Optimizer.Passes.Distill;

/// <summary>
/// Checks, once per process, that TorchSharp's native library loads, before any training work starts. On Debian 12
/// the unpatched libLibTorchSharp.so fails because it asks for GLIBCXX_3.4.32; the build marks that requirement
/// weak (eng/libtorchsharp-patch), and this check turns any remaining failure into one actionable line.
/// </summary>
internal static class TorchSharpRuntime
{
    private static readonly Lazy<string?> Failure = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Why TorchSharp cannot run here, or null when it can.</summary>
    public static string? LoadFailure => Failure.Value;

    /// <summary>Throws <see cref="TrainingUnavailableException"/> with a one-line explanation when TorchSharp cannot load.</summary>
    public static void EnsureAvailable()
    {
        if (LoadFailure is { } reason)
        {
            throw new TrainingUnavailableException(reason);
        }
    }

    private static string? Probe()
    {
        try
        {
            using var probe = torch.ones(2);
            return probe.sum().item<float>() == 2f ? null : "TorchSharp loaded but computed a wrong sum; the native library is damaged.";
        }
#pragma warning disable CA1031 // Any failure to load the native library must become the one-line message below.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var root = e;
            while (root.InnerException is not null)
            {
                root = root.InnerException;
            }

            var cause = root.Message.ReplaceLineEndings(" ");
            cause = cause.Length > 160 ? cause[..160] + "…" : cause;
            return "distillation needs TorchSharp, whose native library libLibTorchSharp.so did not load " +
                   $"({root.GetType().Name}: {cause}); on Debian 12 or any system whose libstdc++ predates GCC 13, " +
                   $"mark its GLIBCXX_3.4.32 requirement weak with `dotnet msbuild eng/libtorchsharp-patch/LibTorchSharpPatch.targets -t:MarkLibTorchSharpGlibcxxWeak -p:LibTorchSharpDirectory={AppContext.BaseDirectory}` " +
                   "(a source build does this itself) or install libstdc++ from GCC 13+; see docs/distillation.md.";
        }
    }
}
