namespace Edge.Sdk.Inference;

/// <summary>Threading settings for the CPU execution provider.</summary>
public sealed class CpuProviderOptions
{
    /// <summary>Threads used inside one operator, including the calling thread. 0 (the default) lets ONNX Runtime choose one per physical core.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Threads used to run independent operators in parallel. 0 (the default) lets ONNX Runtime choose.</summary>
    public int InterOpThreads { get; set; }

    /// <summary>
    /// Logical processor indexes (0-based) to pin the intra-op worker threads to, one per worker, or
    /// <see langword="null"/> (the default) for no pinning. ONNX Runtime's calling thread is not pinned, so this needs
    /// <see cref="IntraOpThreads"/> equal to the count plus one. Applied through the session config entry
    /// <c>session.intra_op_thread_affinities</c>, which ONNX Runtime honours on Linux and Windows.
    /// </summary>
    public IReadOnlyList<int>? PinnedProcessors { get; set; }

    internal void Validate(List<string> errors)
    {
        if (IntraOpThreads < 0)
        {
            errors.Add($"Cpu.IntraOpThreads must be zero or more, but was {IntraOpThreads}.");
        }

        if (InterOpThreads < 0)
        {
            errors.Add($"Cpu.InterOpThreads must be zero or more, but was {InterOpThreads}.");
        }

        if (PinnedProcessors is null)
        {
            return;
        }

        if (PinnedProcessors.Count == 0)
        {
            errors.Add("Cpu.PinnedProcessors must name at least one processor when set, but was empty.");
        }
        else if (IntraOpThreads != PinnedProcessors.Count + 1)
        {
            errors.Add(
                $"Cpu.PinnedProcessors pins {PinnedProcessors.Count} worker thread(s), so Cpu.IntraOpThreads must be " +
                $"{PinnedProcessors.Count + 1} (workers plus the calling thread), but was {IntraOpThreads}.");
        }

        foreach (var processor in PinnedProcessors)
        {
            if (processor < 0 || processor >= Environment.ProcessorCount)
            {
                errors.Add($"Cpu.PinnedProcessors entry {processor} is outside 0..{Environment.ProcessorCount - 1} (this machine's logical processors).");
            }
        }
    }

    /// <summary>ONNX Runtime's affinity string: one group per worker thread, 1-based processor ids, separated by ';'.</summary>
    internal string? AffinityConfigValue() =>
        PinnedProcessors is null
            ? null
            : string.Join(';', PinnedProcessors.Select(p => (p + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
