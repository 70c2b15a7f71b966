using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Edge.Packaging;

/// <summary>
/// Writes and reads <c>manifest.json</c>. Writing is deterministic (declaration order, two-space indent, <c>\n</c>
/// newlines, UTF-8 without BOM) but readers never re-serialize: the signature covers the stored bytes exactly.
/// </summary>
internal static class PackageManifestSerializer
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        NewLine = "\n",
        RespectNullableAnnotations = true,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
        Converters = { new JsonStringEnumConverter<PackageFileRole>(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        TypeInfoResolver = PackageJsonContext.Default,
    };

    // The typed overloads keep serialization analyzable for trimming and Native AOT (no reflection fallback).
    private static readonly JsonTypeInfo<PackageManifest> ManifestInfo = (JsonTypeInfo<PackageManifest>)Options.GetTypeInfo(typeof(PackageManifest));

    public static byte[] Serialize(PackageManifest manifest)
    {
        var json = JsonSerializer.Serialize(manifest, ManifestInfo);
        return Encoding.UTF8.GetBytes(json + "\n");
    }

    /// <summary>Parses and validates manifest bytes; every schema error is listed in one exception.</summary>
    public static PackageManifest Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            throw Invalid(["manifest.json starts with a UTF-8 byte-order mark; it must not"]);
        }

        PackageManifest? manifest;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
            using (var document = JsonDocument.ParseValue(ref reader))
            {
                CheckFormatVersion(document.RootElement);
            }

            manifest = JsonSerializer.Deserialize(utf8, ManifestInfo);
        }
        catch (JsonException exception)
        {
            throw new PackageVerificationException(
                PackageFailureKind.InvalidManifest,
                $"manifest.json is not a valid manifest: {exception.Message}",
                PackageLayout.ManifestEntry,
                exception);
        }

        if (manifest is null)
        {
            throw Invalid(["manifest.json holds null instead of an object"]);
        }

        var errors = PackageManifestValidator.Validate(manifest);
        if (errors.Count > 0)
        {
            throw Invalid(errors);
        }

        return manifest;
    }

    private static void CheckFormatVersion(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid([$"manifest.json must hold a JSON object, found {root.ValueKind}"]);
        }

        if (root.TryGetProperty("formatVersion", out var version)
            && version.ValueKind == JsonValueKind.Number
            && version.TryGetInt32(out var number)
            && number > PackageManifest.CurrentFormatVersion)
        {
            throw new PackageVerificationException(
                PackageFailureKind.UnsupportedFormatVersion,
                $"manifest.json has formatVersion {number}; this SDK reads formatVersion {PackageManifest.CurrentFormatVersion} or older. Update the Edge SDK.",
                PackageLayout.ManifestEntry);
        }
    }

    private static PackageVerificationException Invalid(IReadOnlyList<string> errors) =>
        new(
            PackageFailureKind.InvalidManifest,
            $"manifest.json fails {errors.Count} schema check(s): {string.Join("; ", errors)}.",
            PackageLayout.ManifestEntry);
}
