namespace Edge.Packaging;

/// <summary>
/// A verified, extracted <c>.edgepkg</c> model package. <see cref="OpenAsync"/> reads the package once, front to
/// back, checking the manifest's signature against a <see cref="PackageTrust"/>, the target against the device, and
/// every file's size and SHA-256 while it streams into a staging folder that is renamed into place only when all
/// checks pass. Create a session from <see cref="ModelPath"/>: ONNX Runtime resolves external data relative to it
/// (Edge.Sdk's <c>CreateSession</c> extension does that, named after the manifest). This type never loads the model.
/// Dispose to delete a temporary extraction folder; a caller-chosen <see cref="PackageOpenOptions.ExtractionDirectory"/> stays.
/// </summary>
public sealed class ModelPackage : IDisposable
{
    private readonly bool _ownsDirectory;

    private ModelPackage(PackageVerificationResult verification, string directory, bool ownsDirectory)
    {
        Manifest = verification.Manifest;
        SignerKeyId = verification.SignerKeyId;
        Directory = directory;
        _ownsDirectory = ownsDirectory;
        var model = Manifest.Files.Single(f => f.Role == PackageFileRole.Model);
        ModelPath = GetFilePath(model.Path);
        ExternalDataPaths = Manifest.Files.Where(f => f.Role == PackageFileRole.ExternalData).Select(f => GetFilePath(f.Path)).ToArray();
    }

    /// <summary>The verified manifest.</summary>
    public PackageManifest Manifest { get; }

    /// <summary>The id of the trusted key whose signature matched; null only for an unsigned package opened with the development opt-in.</summary>
    public string? SignerKeyId { get; }

    /// <summary>The folder the package was extracted to.</summary>
    public string Directory { get; }

    /// <summary>Full path of the extracted ONNX model.</summary>
    public string ModelPath { get; }

    /// <summary>Full paths of the model's external-data files, which sit where the model expects them.</summary>
    public IReadOnlyList<string> ExternalDataPaths { get; }

    /// <summary>Opens and verifies a package, blocking until done. Prefer <see cref="OpenAsync"/>.</summary>
    /// <exception cref="PackageVerificationException">The package was refused; nothing was left on disk.</exception>
    /// <exception cref="ArgumentException">The options are invalid, or <see cref="PackageOpenOptions.Device"/> is null while the target is checked.</exception>
    public static ModelPackage Open(string packagePath, PackageTrust trust, PackageOpenOptions? options = null) =>
        OpenAsync(packagePath, trust, options, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Opens, verifies and extracts a package.</summary>
    /// <param name="packagePath">The <c>.edgepkg</c> file.</param>
    /// <param name="trust">Keys whose signatures are accepted.</param>
    /// <param name="options">Extraction folder, limits, device description; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the extraction; the staging folder is deleted.</param>
    /// <exception cref="PackageVerificationException">The package was refused; nothing was left on disk.</exception>
    /// <exception cref="ArgumentException">The options are invalid, or <see cref="PackageOpenOptions.Device"/> is null while the target is checked.</exception>
    /// <exception cref="IOException">The extraction directory already exists, or the disk failed.</exception>
    public static async Task<ModelPackage> OpenAsync(string packagePath, PackageTrust trust, PackageOpenOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(packagePath);
        ArgumentNullException.ThrowIfNull(trust);
        options ??= new PackageOpenOptions();
        options.Validate();
        var ownsDirectory = options.ExtractionDirectory is null;
        var destination = Path.GetFullPath(options.ExtractionDirectory ?? Path.Combine(Path.GetTempPath(), "edgepkg-" + Guid.NewGuid().ToString("N")));
        if (System.IO.Directory.Exists(destination) || File.Exists(destination))
        {
            throw new IOException($"The extraction directory '{destination}' already exists; pass a path that does not exist yet.");
        }

        var parent = Path.GetDirectoryName(destination) ?? throw new ArgumentException($"The extraction directory '{destination}' has no parent folder.", nameof(options));
        System.IO.Directory.CreateDirectory(parent);

        // Staging beside the destination keeps the final rename on one file system, hence atomic.
        var staging = Path.Combine(parent, $".{Path.GetFileName(destination)}.staging-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(staging);
        try
        {
            PackageVerificationResult verification;
            await using (var stream = OpenRead(packagePath))
            {
                verification = await PackageReader.ReadAsync(stream, trust, options, staging, cancellationToken);
            }

            System.IO.Directory.Move(staging, destination);
            return new ModelPackage(verification, destination, ownsDirectory);
        }
        catch
        {
            System.IO.Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Verifies a package without extracting it: signature, schema, target (unless skipped by a tool) and every
    /// file's size and SHA-256, reading the file once. Nothing is written to disk.
    /// </summary>
    /// <exception cref="PackageVerificationException">The package was refused.</exception>
    /// <exception cref="ArgumentException">The options are invalid, or <see cref="PackageOpenOptions.Device"/> is null while the target is checked.</exception>
    public static async Task<PackageVerificationResult> VerifyAsync(string packagePath, PackageTrust trust, PackageOpenOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(packagePath);
        ArgumentNullException.ThrowIfNull(trust);
        options ??= new PackageOpenOptions();
        options.Validate();
        await using var stream = OpenRead(packagePath);
        return await PackageReader.ReadAsync(stream, trust, options, stagingDirectory: null, cancellationToken);
    }

    /// <summary>
    /// Reads a package's manifest and nothing else: no signature, no file hash is checked. For tools that only describe
    /// a package (a publisher announcing name, version and size); never a reason to trust it. The archive is read with
    /// the same bounds as <see cref="VerifyAsync"/>, so a hostile header is refused the same way.
    /// </summary>
    /// <exception cref="PackageVerificationException">The archive or its manifest is unreadable or invalid.</exception>
    /// <exception cref="FileNotFoundException">The package file does not exist.</exception>
    public static async Task<PackageManifest> ReadManifestUnverifiedAsync(string packagePath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(packagePath);
        await using var stream = OpenRead(packagePath);
        return await PackageReader.ReadManifestAsync(stream, cancellationToken);
    }

    /// <summary>Full path of a package file given its archive path (for example a golden sample's <c>golden/s0/input_0.pb</c>).</summary>
    /// <exception cref="ArgumentException">The manifest does not list <paramref name="archivePath"/>.</exception>
    public string GetFilePath(string archivePath)
    {
        if (!Manifest.Files.Any(f => f.Path == archivePath))
        {
            throw new ArgumentException($"Package '{Manifest.Name}' has no file '{archivePath}'.", nameof(archivePath));
        }

        return PackageEntryPath.Resolve(Directory, archivePath);
    }

    /// <summary>Deletes the extraction folder when it was a temporary one chosen by <see cref="OpenAsync"/>.</summary>
    public void Dispose()
    {
        if (_ownsDirectory && System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static FileStream OpenRead(string path) =>
        new(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            Options = FileOptions.SequentialScan | FileOptions.Asynchronous,
            BufferSize = 64 * 1024,
        });
}
