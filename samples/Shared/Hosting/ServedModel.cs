using Edge.Agent;
using Edge.Sdk.Inference;
using Edge.Sdk.IO;

namespace Edge.Samples.Hosting;

/// <summary>
/// The model a sample runs: the embedded agent's OTA-served model once a slot is active (so an update swaps it
/// without a restart), otherwise the one loaded from <c>--model</c>. Owns the local host and disposes it.
/// </summary>
public sealed class ServedModel : IDisposable
{
    private readonly ActiveModel _active;
    private readonly ModelHost? _local;

    /// <summary>Creates the selector; <paramref name="local"/> may be null when OTA provides the model.</summary>
    public ServedModel(ActiveModel active, ModelHost? local)
    {
        ArgumentNullException.ThrowIfNull(active);
        _active = active;
        _local = local;
    }

    /// <summary>The host to run the next frame on.</summary>
    /// <exception cref="InvalidOperationException">Neither OTA nor <c>--model</c> provided a model.</exception>
    public ModelHost Current => _active.Host ?? _local
        ?? throw new InvalidOperationException("No model to run: give --model, or an OTA initial package with --ota-package.");

    /// <summary>Whether the OTA-served model is the one running.</summary>
    public bool FromOta => _active.Host is not null;

    /// <summary>
    /// What is wrong with where the model is to come from: <c>--model</c> (the file must exist) or, without it, OTA
    /// (which needs the trusted key). Empty when valid.
    /// </summary>
    public static IEnumerable<string> ValidateSource(string? modelPath, AgentSettings agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (modelPath is null && agent.OtaTrustedKeyFile is null)
        {
            yield return "--model is required unless OTA serves the model (--ota-key with --ota-package).";
        }
        else if (modelPath is not null && !File.Exists(modelPath))
        {
            yield return $"--model '{modelPath}' {PathProblem.ForFile(modelPath)}.";
        }
    }

    /// <inheritdoc />
    public void Dispose() => _local?.Dispose();
}
