using Edge.Packaging;
using Edge.Sdk.IO;
using Edge.Sdk.Packaging;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Optimizer.Evaluation;

/// <summary>
/// A model named on the command line: a plain <c>.onnx</c> file, or an <c>.edgepkg</c> package that is verified
/// against the trusted keys and extracted to a temporary folder, whose preprocessing spec and labels come along.
/// Dispose deletes the extraction.
/// </summary>
internal sealed class ResolvedModel : IDisposable
{
    private readonly ModelPackage? _package;

    private ResolvedModel(string displayName, string modelPath, PreprocessSpec? preprocess, IReadOnlyList<string> labels, ModelPackage? package)
    {
        DisplayName = displayName;
        ModelPath = modelPath;
        Preprocess = preprocess;
        Labels = labels;
        _package = package;
    }

    public string DisplayName { get; }

    public string ModelPath { get; }

    public PreprocessSpec? Preprocess { get; }

    public IReadOnlyList<string> Labels { get; }

    public static bool IsPackage(string path) => path.EndsWith(".edgepkg", StringComparison.OrdinalIgnoreCase);

    public static async Task<ResolvedModel> OpenAsync(string path, IReadOnlyList<FileInfo> trust, bool allowUnsigned, CancellationToken cancellationToken)
    {
        if (!IsPackage(path))
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Model '{path}' {PathProblem.ForFile(path)}.", path);
            }

            return new ResolvedModel(Path.GetFileName(path), path, null, [], null);
        }

        if (trust.Count == 0 && !allowUnsigned)
        {
            throw new ArgumentException($"Package '{path}' needs --trust public.pem to verify its signature (or --allow-unsigned-for-development).");
        }

        var keys = trust.Count == 0 ? PackageTrust.None : await PackageTrust.FromPemFilesAsync(trust.Select(f => f.FullName), cancellationToken);
        var options = new PackageOpenOptions { AllowUnsignedPackagesForDevelopmentOnly = allowUnsigned, Device = PackageDeviceDescription.Current };
        var package = await ModelPackage.OpenAsync(path, keys, options, cancellationToken);
        try
        {
            var name = $"{package.Manifest.Name} {package.Manifest.Version}";
            return new ResolvedModel(name, package.ModelPath, package.GetPreprocessSpec(), package.Manifest.Labels, package);
        }
        catch
        {
            package.Dispose();
            throw;
        }
    }

    public void Dispose() => _package?.Dispose();
}
