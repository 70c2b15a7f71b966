using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Edge.Optimizer.Data;
using Edge.Optimizer.Drift;
using Edge.Packaging;
using Edge.Sdk.Packaging;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Optimizer.Packaging;

/// <summary>
/// Builds a signed <c>.edgepkg</c> from a model: finds its external data, reads its input and output signatures
/// through ONNX Runtime, gathers golden samples, preprocessing, labels, lineage and metrics, and writes the package.
/// </summary>
internal static class ModelPackager
{
    public static async Task<PackageManifest> PackAsync(PackagerOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Cannot pack: {string.Join("; ", errors)}.");
        }

        var keys = new List<ECDsa>();
        try
        {
            foreach (var keyPath in options.KeyPaths)
            {
                keys.Add(await LoadPrivateKeyAsync(keyPath, cancellationToken));
            }

            var modelPath = Path.GetFullPath(options.ModelPath);
            var sources = new List<PackageSourceFile> { new(PackageLayout.ModelFolder + Path.GetFileName(modelPath), modelPath, PackageFileRole.Model) };
            foreach (var location in await ExternalDataLocator.FindAsync(modelPath, cancellationToken))
            {
                sources.Add(new(PackageLayout.ModelFolder + location, Path.Combine(Path.GetDirectoryName(modelPath)!, location), PackageFileRole.ExternalData));
            }

            var golden = options.GoldenDirectory is null ? [] : GoldenSampleCollector.Collect(options.GoldenDirectory, options.GoldenAtol, options.GoldenRtol, sources);
            var (inputs, outputs) = ModelSignatureReader.Read(modelPath);
            var preprocess = await ReadJsonObjectAsync(options.PreprocessPath, "--preprocess", cancellationToken);
            var recipe = await ReadJsonObjectAsync(options.RecipePath, "--recipe", cancellationToken);
            var metrics = await ReadJsonObjectAsync(options.MetricsPath, "--metrics", cancellationToken);
            var labels = options.LabelsPath is null ? [] : await ReadLabelsAsync(options.LabelsPath, cancellationToken);
            var passport = options.PassportPath is null ? options.Passport : await PassportFile.ReadAsync(options.PassportPath, cancellationToken);
            var drift = await BuildDriftReferenceAsync(options, modelPath, cancellationToken);
            var created = time.GetUtcNow();
            var now = new DateTimeOffset(created.Ticks - (created.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            var parent = options.Parent?.Split('@');
            PackageManifest Build(IReadOnlyList<PackageFile> files) => new()
            {
                FormatVersion = PackageManifest.CurrentFormatVersion,
                Name = options.Name,
                Version = options.Version,
                CreatedUtc = now,
                Tool = new PackageTool { Name = "edge-optimize", Version = ToolVersion },
                Target = new PackageTarget
                {
                    Architectures = options.Targets.Select(t => TargetNames.ArchitectureOf(t).Architecture!).Distinct().ToArray(),
                    ExecutionProviders = options.ExecutionProviders.Select(PackageDeviceDescription.NormalizeProvider).Distinct().ToArray(),
                    MinimumSdkVersion = options.MinimumSdkVersion ?? PackageDeviceDescription.CurrentSdkVersion,
                },
                Files = files,
                Inputs = inputs,
                Outputs = outputs,
                Preprocess = preprocess,
                Labels = labels,
                Lineage = new PackageLineage
                {
                    Parent = parent is null ? null : new PackageReference { Name = parent[0], Version = parent[1] },
                    Recipe = recipe,
                    Command = options.CommandLine,
                },
                Metrics = metrics,
                Golden = golden,
                Passport = passport,
                DriftReference = drift,
            };

            return await PackageWriter.WriteAsync(options.OutputPath, Build, sources, keys, cancellationToken);
        }
        finally
        {
            foreach (var key in keys)
            {
                key.Dispose();
            }
        }
    }

    private static async Task<PackageDriftReference?> BuildDriftReferenceAsync(PackagerOptions options, string modelPath, CancellationToken cancellationToken)
    {
        if (options.ReferenceData is null)
        {
            return null;
        }

        var preprocess = options.PreprocessPath is null ? null : await PreprocessSpec.FromFileAsync(options.PreprocessPath, cancellationToken);
        var dataset = DatasetFactory.Open(options.ReferenceData);
        var reference = await Task.Run(() => DriftReferenceBuilder.Build(modelPath, dataset, preprocess, options.ReferenceSamples, cancellationToken), cancellationToken);

        // A reference without a float input to summarise and without confidences (a raw-output model fed token ids)
        // would give devices nothing to compare: it is left out, and the pack step says so.
        return reference.Inputs.Count == 0 && reference.Confidence is null ? null : reference;
    }

    /// <summary>
    /// Writes a copy of a signed package with <paramref name="passport"/> in its manifest (replacing any passport it
    /// had), re-signed with <paramref name="signingKey"/>: the same model and files, byte for byte, and the same
    /// manifest otherwise. The input must verify against <paramref name="signingKey"/>'s public half, so only a
    /// package this key signed is re-signed. <paramref name="outputPath"/> may be <paramref name="packagePath"/>.
    /// </summary>
    /// <param name="signingKey">ECDSA P-256 private key; the caller keeps ownership.</param>
    /// <returns>The manifest as written.</returns>
    /// <exception cref="PackageVerificationException">The input package does not verify against the key.</exception>
    /// <exception cref="ArgumentException">The passport fails the schema checks (every error is listed).</exception>
    public static async Task<PackageManifest> AddPassportAsync(string packagePath, PackagePassport passport, ECDsa signingKey, string outputPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(packagePath);
        ArgumentNullException.ThrowIfNull(passport);
        ArgumentNullException.ThrowIfNull(signingKey);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var trust = PackageTrust.FromPem(signingKey.ExportSubjectPublicKeyInfoPem());

        // The package is read whole into a temporary folder before the output is written, so output may replace input.
        using var package = await ModelPackage.OpenAsync(packagePath, trust, new PackageOpenOptions { SkipTargetCheck = true }, cancellationToken);
        var sources = package.Manifest.Files.Select(f => new PackageSourceFile(f.Path, package.GetFilePath(f.Path), f.Role)).ToArray();
        return await PackageWriter.WriteAsync(outputPath, _ => package.Manifest.WithPassport(passport), sources, [signingKey], cancellationToken);
    }

    private static string ToolVersion
    {
        get
        {
            var version = typeof(ModelPackager).Assembly.GetName().Version ?? new Version(0, 0, 0);
            return string.Create(CultureInfo.InvariantCulture, $"{version.Major}.{version.Minor}.{Math.Max(version.Build, 0)}");
        }
    }

    private static async Task<ECDsa> LoadPrivateKeyAsync(string path, CancellationToken cancellationToken)
    {
        var pem = await File.ReadAllTextAsync(path, cancellationToken);
        if (!pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new ArgumentException($"--key '{path}' holds no private key (expected -----BEGIN PRIVATE KEY-----); sign with the private half of 'keys new'.");
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.ExportParameters(false).Curve.Oid?.Value != "1.2.840.10045.3.1.7")
            {
                throw new ArgumentException($"--key '{path}' is not on curve NIST P-256.");
            }

            return key;
        }
        catch (CryptographicException exception)
        {
            key.Dispose();
            throw new ArgumentException($"--key '{path}' is not a readable EC private key: {exception.Message}", exception);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static async Task<JsonElement?> ReadJsonObjectAsync(string? path, string option, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        try
        {
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"{option} '{path}' must hold a JSON object, found {document.RootElement.ValueKind}.");
            }

            return document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new ArgumentException($"{option} '{path}' is not valid JSON: {exception.Message}", exception);
        }
    }

    private static async Task<IReadOnlyList<string>> ReadLabelsAsync(string path, CancellationToken cancellationToken)
    {
        var lines = (await File.ReadAllLinesAsync(path, cancellationToken)).Select(l => l.TrimEnd('\r')).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var blank = lines.FindIndex(l => l.Length == 0);
        if (blank >= 0)
        {
            throw new ArgumentException($"--labels '{path}' has an empty line {blank + 1}; labels are matched to outputs by line, so every line needs a label.");
        }

        return lines;
    }
}
