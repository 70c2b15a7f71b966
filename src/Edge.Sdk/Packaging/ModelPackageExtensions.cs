using System.Text.Json;
using Edge.Packaging;
using Edge.Sdk.Inference;
using Edge.Sdk.Processing.Preprocessing;
using Microsoft.Extensions.Logging;

namespace Edge.Sdk.Packaging;

/// <summary>
/// What the SDK adds to a verified <see cref="ModelPackage"/> (Edge.Packaging, which never loads a model): its
/// preprocessing spec as a <see cref="PreprocessSpec"/>, and an ONNX Runtime session on its model.
/// </summary>
public static class ModelPackageExtensions
{
    /// <summary>
    /// The package's preprocessing spec, or null when it has none. The spec is validated when read, so a malformed
    /// one fails here, at load time, rather than at the first frame.
    /// </summary>
    /// <param name="package">An opened package; it keeps ownership of its folder.</param>
    /// <exception cref="PreprocessSpecException">The manifest's spec is invalid; every problem is listed.</exception>
    public static PreprocessSpec? GetPreprocessSpec(this ModelPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return package.Manifest.Preprocess is { ValueKind: JsonValueKind.Object } spec ? PreprocessSpec.FromJson(spec.GetRawText()) : null;
    }

    /// <summary>
    /// Creates a session on the verified model, named and versioned after the package. When the package carries a
    /// preprocessing spec, it is checked against the model's first input before the session is returned, so a spec
    /// that does not fit the model fails at load time. The caller disposes the session, before the package.
    /// </summary>
    /// <param name="package">An opened package whose extracted model the session loads.</param>
    /// <param name="options">Provider and threading options; the model name and version are taken from the manifest unless set.</param>
    /// <param name="loggerFactory">Receives provider-selection messages; null for none.</param>
    /// <exception cref="PreprocessSpecException">The package's spec is invalid or does not fit the model's input.</exception>
    public static EdgeSession CreateSession(this ModelPackage package, EdgeSessionOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        options ??= new EdgeSessionOptions();
        options.ModelName ??= package.Manifest.Name;
        options.ModelVersion ??= package.Manifest.Version;
        var spec = package.GetPreprocessSpec();
        var session = EdgeSession.Load(package.ModelPath, options, loggerFactory);
        try
        {
            if (spec is not null && session.Inputs.Count > 0)
            {
                var input = session.Inputs[0];
                spec.CheckFits([.. input.Dimensions.Select(d => (int)d)], input.Name);
            }

            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }
}
