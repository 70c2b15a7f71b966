namespace Edge.Optimizer.Pipeline;

/// <summary>How <see cref="PipelineRunner"/> runs a recipe: where it reports and where it starts.</summary>
internal sealed class PipelineRunOptions
{
    /// <summary>Diagnostics for a person.</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;

    /// <summary>Progress of long stages.</summary>
    public IProgress<PassProgress>? Progress { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public bool Verbose { get; init; }

    /// <summary>The 1-based step to start at; earlier steps' models are read from the workspace of an earlier run.</summary>
    public int FromStep { get; init; } = 1;

    /// <summary>The recipe file, recorded as lineage by a pack step.</summary>
    public string? RecipePath { get; init; }

    /// <summary>The command line, recorded as lineage by a pack step.</summary>
    public string? CommandLine { get; init; }
}
