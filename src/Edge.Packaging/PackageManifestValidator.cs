using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Edge.Packaging;

/// <summary>
/// Schema checks on a parsed manifest (docs/package-format.md), the ones <see cref="PackageWriter"/> and the reader
/// apply. Returns every error, so one message can list them all.
/// </summary>
public static class PackageManifestValidator
{
    private static readonly HashSet<string> ElementTypes = new(StringComparer.Ordinal)
    {
        "float32", "float16", "bfloat16", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
        "uint64", "bool", "string", "complex64", "complex128", "float8e4m3fn", "float8e4m3fnuz", "float8e5m2",
        "float8e5m2fnuz", "uint4", "int4", "float4e2m1", "sequence", "map", "optional",
    };

    /// <summary>The architecture names a target may list: .NET's <see cref="Architecture"/> names in lowercase (<c>x64</c>, <c>arm64</c>...).</summary>
    public static IReadOnlyList<string> KnownArchitectures { get; } =
        Enum.GetNames<Architecture>().Select(n => n.ToLowerInvariant()).ToArray();

    /// <summary>Checks <paramref name="manifest"/> against the schema.</summary>
    /// <returns>One readable sentence per problem, naming the field and the expected form; empty when valid.</returns>
    public static IReadOnlyList<string> Validate(PackageManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var errors = new List<string>();
        if (manifest.FormatVersion != PackageManifest.CurrentFormatVersion)
        {
            errors.Add($"formatVersion is {manifest.FormatVersion}, expected {PackageManifest.CurrentFormatVersion}");
        }

        if (!IsValidName(manifest.Name))
        {
            errors.Add($"name '{manifest.Name}' must be 1-100 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        }

        CheckSemVer(errors, "version", manifest.Version);
        if (manifest.CreatedUtc == default || manifest.CreatedUtc.Offset != TimeSpan.Zero)
        {
            errors.Add($"createdUtc '{manifest.CreatedUtc:O}' must be set and in UTC");
        }

        if (string.IsNullOrWhiteSpace(manifest.Tool.Name) || string.IsNullOrWhiteSpace(manifest.Tool.Version))
        {
            errors.Add("tool.name and tool.version must both be set");
        }

        CheckTarget(errors, manifest.Target);
        CheckFiles(errors, manifest.Files);
        CheckSignatures(errors, "inputs", manifest.Inputs);
        CheckSignatures(errors, "outputs", manifest.Outputs);
        CheckJsonObject(errors, "preprocess", manifest.Preprocess, scalarsOnly: false);
        CheckJsonObject(errors, "metrics", manifest.Metrics, scalarsOnly: true);
        CheckJsonObject(errors, "lineage.recipe", manifest.Lineage.Recipe, scalarsOnly: false);
        if (manifest.Labels.Any(string.IsNullOrEmpty))
        {
            errors.Add("labels must not contain empty strings");
        }

        if (manifest.Lineage.Parent is { } parent)
        {
            if (!IsValidName(parent.Name))
            {
                errors.Add($"lineage.parent.name '{parent.Name}' is not a valid package name");
            }

            CheckSemVer(errors, "lineage.parent.version", parent.Version);
        }

        CheckGolden(errors, manifest);
        if (manifest.Passport is { } passport)
        {
            PackagePassportValidator.Check(errors, passport);
        }

        if (manifest.DriftReference is { } drift)
        {
            PackageDriftReferenceValidator.Check(errors, drift, manifest.Inputs);
        }

        return errors;
    }

    /// <summary>Whether <paramref name="name"/> is a valid package name: 1-100 characters of <c>a-z</c>, <c>0-9</c>, <c>.</c>, <c>_</c> or <c>-</c>, starting with a letter or digit.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 100
        && (char.IsAsciiLetterLower(name[0]) || char.IsAsciiDigit(name[0]))
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-');

    private static void CheckSemVer(List<string> errors, string field, string value)
    {
        if (!SemanticVersion.TryParse(value, out _))
        {
            errors.Add($"{field} '{value}' is not a Semantic Versioning 2.0.0 version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD])");
        }
    }

    private static void CheckTarget(List<string> errors, PackageTarget target)
    {
        if (target.Architectures.Count == 0)
        {
            errors.Add("target.architectures must list at least one architecture");
        }

        foreach (var architecture in target.Architectures.Where(a => !KnownArchitectures.Contains(a)))
        {
            errors.Add($"target.architectures has unknown '{architecture}', expected one of {string.Join(", ", KnownArchitectures)}");
        }

        if (target.ExecutionProviders.Count == 0)
        {
            errors.Add("target.executionProviders must list at least one provider");
        }

        foreach (var provider in target.ExecutionProviders.Where(p => p.Length == 0 || p != PackageDeviceDescription.NormalizeProvider(p)))
        {
            errors.Add($"target.executionProviders has '{provider}', expected a short lowercase name such as 'cpu' or 'cuda'");
        }

        CheckSemVer(errors, "target.minimumSdkVersion", target.MinimumSdkVersion);
    }

    private static void CheckFiles(List<string> errors, IReadOnlyList<PackageFile> files)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (PackageEntryPath.Problem(file.Path) is { } problem)
            {
                errors.Add($"files: path '{file.Path}' is unsafe: {problem}");
            }
            else if (file.Path is PackageLayout.ManifestEntry or PackageLayout.SignatureEntry)
            {
                errors.Add($"files: path '{file.Path}' is reserved");
            }

            if (!seen.Add(file.Path))
            {
                errors.Add($"files: path '{file.Path}' is listed twice");
            }

            if (file.Sha256.Length != 64 || !file.Sha256.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
            {
                errors.Add($"files: '{file.Path}' has sha256 '{file.Sha256}', expected 64 lowercase hex digits");
            }

            if (file.Size < 0)
            {
                errors.Add($"files: '{file.Path}' has size {file.Size}, expected zero or more bytes");
            }
        }

        var models = files.Where(f => f.Role == PackageFileRole.Model).ToList();
        if (models.Count != 1)
        {
            errors.Add($"files must hold exactly one file with role 'model', found {models.Count}");
        }
        else if (!models[0].Path.StartsWith(PackageLayout.ModelFolder, StringComparison.Ordinal) || !models[0].Path.EndsWith(".onnx", StringComparison.Ordinal))
        {
            errors.Add($"the model file '{models[0].Path}' must be under '{PackageLayout.ModelFolder}' and end with '.onnx'");
        }

        foreach (var data in files.Where(f => f.Role == PackageFileRole.ExternalData && !f.Path.StartsWith(PackageLayout.ModelFolder, StringComparison.Ordinal)))
        {
            errors.Add($"external-data file '{data.Path}' must be under '{PackageLayout.ModelFolder}'");
        }
    }

    private static void CheckSignatures(List<string> errors, string field, IReadOnlyList<PackageTensorSignature> tensors)
    {
        if (tensors.Count == 0)
        {
            errors.Add($"{field} must list at least one tensor");
        }

        for (var i = 0; i < tensors.Count; i++)
        {
            if (string.IsNullOrEmpty(tensors[i].Name))
            {
                errors.Add($"{field}[{i}] has no name");
            }

            if (!ElementTypes.Contains(tensors[i].ElementType))
            {
                errors.Add($"{field}[{i}] ('{tensors[i].Name}') has elementType '{tensors[i].ElementType}', expected an ONNX type such as float32 or int64");
            }
        }
    }

    private static void CheckJsonObject(List<string> errors, string field, JsonElement? value, bool scalarsOnly)
    {
        if (value is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{field} must be a JSON object, found {element.ValueKind}");
            return;
        }

        if (scalarsOnly)
        {
            foreach (var property in element.EnumerateObject().Where(p => p.Value.ValueKind is not (JsonValueKind.Number or JsonValueKind.String)))
            {
                errors.Add($"{field}.{property.Name} is {property.Value.ValueKind}, expected a number or string");
            }
        }
    }

    private static void CheckGolden(List<string> errors, PackageManifest manifest)
    {
        var golden = manifest.Files.Where(f => f.Role == PackageFileRole.Golden).Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sample in manifest.Golden)
        {
            if (!IsValidName(sample.Name) || !names.Add(sample.Name))
            {
                errors.Add($"golden sample name '{sample.Name}' is invalid or repeated");
            }

            if (sample.Inputs.Count != manifest.Inputs.Count || sample.Outputs.Count != manifest.Outputs.Count)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture,
                    $"golden sample '{sample.Name}' has {sample.Inputs.Count} input(s) and {sample.Outputs.Count} output(s); the model has {manifest.Inputs.Count} and {manifest.Outputs.Count}"));
            }

            foreach (var path in sample.Inputs.Concat(sample.Outputs).Where(p => !golden.Contains(p)))
            {
                errors.Add($"golden sample '{sample.Name}' refers to '{path}', which is not a file with role 'golden'");
            }

            if (!(sample.Atol >= 0) || !(sample.Rtol >= 0) || double.IsInfinity(sample.Atol) || double.IsInfinity(sample.Rtol))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"golden sample '{sample.Name}' has atol {sample.Atol} and rtol {sample.Rtol}; both must be finite and zero or more"));
            }
        }
    }
}
